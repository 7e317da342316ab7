#pragma once
// The smart-card (CPS) sign-in, docs/card.md. The card listener (which asks
// for client certificates, maybe on another host name) reads the card and
// hands over to the main origin, where cookies live, with a ticket: a flow
// of kind card_ticket, single use, 60 seconds, stored as a keyed hash. An
// unknown card is linked after one ordinary sign-in: a flow of kind
// card_link, kept in a cookie while the member signs in.
#include <optional>
#include <string>
#include <variant>

#include "account/account.h"
#include "common/clock.h"
#include "flow/sign_in/sign_in_flow.h"

namespace portier {

// What the HTTP layer said of the certificate (http::CertificateVerdict),
// plus NoCard. Only Valid may ever sign anyone in.
enum class CardCheck {
  Valid,
  NoCard,
  Expired,
  NotYetValid,
  Revoked,
  RevocationUnknown,
  UnknownIssuer,
  WrongUsage,
  Unreadable,
};

// A card as presented, in plain values (the web layer builds it from the
// certificate and the holder read from its subject).
struct PresentedCard {
  CardCheck check = CardCheck::NoCard;
  std::string sha256;  // lower-case hex of SHA-256(certificate DER)
  std::string subject;
  std::string issuer;
  std::string serial;
  TimePoint not_after{};
  std::optional<std::string> rpps;  // the 11-digit RPPS, when the card names one
  std::string holder;               // "Médecin Jean DUPONT", for pages
};

enum class CardRefusal {
  NoCard,
  Expired,
  NotYetValid,
  Revoked,
  RevocationUnknown,
  UnknownIssuer,
  WrongUsage,
  Unreadable,
  Unmapped,         // no account for this card's RPPS, or not an RPPS card (rule "rpps")
  AccountDisabled,  // said only to the holder of a valid card of that account
  AccountInactive,  // first connection not made yet
  TicketInvalid,    // the hand-over was used, expired or forged: start again
  WrongAccount,     // linking: the account signed in is not the card holder's
};
const char* to_string(CardRefusal r);

struct CardRefused {
  CardRefusal reason;
};
// Go on to the main origin with this ticket (<server.public_url>/carte-cps/suite?ticket=…).
struct CardHandOver {
  std::string ticket;
};
// A valid card, not linked yet, whose holder has an account (or rule
// "linked_only"): the page offers to link it.
struct CardFirstUse {
  PresentedCard card;
};
using CardPresentOutcome = std::variant<CardHandOver, CardFirstUse, CardRefused>;

// The member must sign in (identifier, password, second step) to link the
// card; `link_token` goes into a cookie of the main origin.
struct CardLinkPending {
  std::string link_token;
  TimePoint expires_at{};
};
using CardRedeemOutcome = std::variant<SignedIn, SecondStepRequired, CardLinkPending, CardRefused>;

}  // namespace portier
