#pragma once
// Signs members in with their smart card (CPS): decides what a presented
// card may do, hands over to the main origin with a single-use ticket, links
// a card after one ordinary sign-in, and unlinks. docs/card.md.
#include <functional>
#include <vector>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "common/random.h"
#include "common/secret_hasher.h"
#include "flow/card/card_flow.h"
#include "flow/card/linked_card_store.h"
#include "flow/flow_store.h"
#include "flow/second_step/second_step_service.h"
#include "session/session_service.h"

namespace portier {

struct CardSignInSettings {
  std::string identifier_rule = "rpps";  // or "linked_only" (config/card_config.h)
  bool second_step = false;              // ask the account's second step after the card
  std::chrono::seconds ticket_lifetime{60};
  std::chrono::seconds link_lifetime{15 * 60};  // to sign in and confirm at first use
};

// A card linked or unlinked: the member is told by mail (`by_staff`: an
// administrator unlinked it).
using CardNotice = std::function<void(const Account&, const LinkedCard&, bool linked, bool by_staff)>;

class CardSignInService {
public:
  CardSignInService(AccountStore& accounts, LinkedCardStore& cards, FlowStore& flows, SessionService& sessions,
                    AuditLog& audit, const SecretHasher& secrets, Random& random, const Clock& clock,
                    CardNotice notice, CardSignInSettings settings, SecondStepService* second_step = nullptr);

  // On the card listener. A linked card of an active account whose RPPS
  // still matches: a ticket to sign in. A valid unknown card whose holder
  // has an account: first use (with `link` true, a ticket to link it). Any
  // other card: a refusal, audited card.refused.
  Result<CardPresentOutcome> present(const PresentedCard& card, bool link, const ClientInfo& client);
  // On the main origin: spends the ticket. A sign-in ticket signs in (or
  // asks the second step, card.second_step); a link ticket opens the
  // pending link. The account is checked again: it may have changed.
  Result<CardRedeemOutcome> redeem(std::string_view ticket, const ClientInfo& client);
  // The card waiting to be linked; NotFound / Expired otherwise.
  Result<PresentedCard> pending_link(std::string_view link_token);
  // Links the pending card to the account of `session`, which must have been
  // opened after the card was presented, and (rule "rpps") be the card
  // holder's. Audited card.linked, the member told.
  Result<std::variant<LinkedCard, CardRefused>> confirm_link(std::string_view link_token, const Session& session,
                                                             const ClientInfo& client);
  // The account's cards, most recently linked first.
  Result<std::vector<LinkedCard>> cards_of(AccountId account);
  // False when the account has no such card. `actor`: the member, or the
  // administrator who unlinked it (the member is told either way), whose
  // `reason` goes in the audit event.
  Result<bool> unlink(AccountId account, std::string_view sha256, AccountId actor, const ClientInfo& client,
                      std::string_view reason = {});

  const CardSignInSettings& settings() const { return settings_; }

private:
  CardRefused refuse(CardRefusal why, const PresentedCard& card, std::optional<AccountId> target,
                     const ClientInfo& client);
  // The account a valid card leads to under the rule (NotFound: unmapped).
  Result<Account> holder_account(const PresentedCard& card);
  Result<std::string> issue_ticket(const PresentedCard& card, std::string_view purpose,
                                   std::optional<AccountId> account);

  AccountStore& accounts_;
  LinkedCardStore& cards_;
  FlowStore& flows_;
  SessionService& sessions_;
  AuditLog& audit_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  CardNotice notice_;
  CardSignInSettings settings_;
  SecondStepService* second_step_;
};

}  // namespace portier
