#pragma once
// The federated sign-in (Pro Santé Connect, or an establishment's own OpenID
// Connect provider), docs/federation.md. Two flows:
//   - federation_login: the PendingLogin that begin() made, kept server-side
//     while the browser is at the provider (10 minutes); the browser holds
//     only the flow's random token, in a cookie. Spent (state "used") before
//     the answer is judged: an answer is judged once.
//   - federation_link: a verified identity not linked yet, kept while the
//     member signs in to the account it belongs to (15 minutes), then linked
//     on confirmation.
#include <optional>
#include <string>
#include <variant>

#include "account/account.h"
#include "common/clock.h"
#include "flow/sign_in/sign_in_flow.h"

namespace portier {

// What the service knows of each configured provider (from config/federation_config.h).
struct FederationProviderSettings {
  std::string id;
  std::string preset;  // "psc", "psc-sandbox", "oidc"
  std::string label;   // the button's text
  // Whether a sign-in through this provider is followed by the account's
  // second step. Always false for the PSC presets (acr eidas1 is already two
  // factors); for "oidc", true unless the operator says the establishment's
  // provider is itself multi-factor (provider key second_step = false).
  bool second_step = true;
  // PSC presets: a person no account knows may create one from PSC's claims
  // (FederatedAccountCreationService) instead of the unknown_person refusal.
  bool create_accounts = false;
  bool is_psc() const { return preset == "psc" || preset == "psc-sandbox"; }
};

// Why a federated sign-in did not go on: one word for the audit event
// federation.refused (the relying party's words, federation/refusal.h, and
// these). The member is only told that the sign-in through the provider did
// not succeed, and what to do.
namespace federation_refusal {
inline constexpr const char* kFlow = "flow";                        // no, an expired, or a used login flow (cookie)
inline constexpr const char* kUnknownProvider = "unknown_provider";  // no such provider configured
inline constexpr const char* kUnknownPerson = "unknown_person";      // no account for this person (first use)
inline constexpr const char* kAccountDisabled = "account_disabled";
inline constexpr const char* kAccountInactive = "account_inactive";  // first connection not made yet
inline constexpr const char* kWrongAccount = "wrong_account";        // linking: not the account of this identity
inline constexpr const char* kLinkedElsewhere = "linked_elsewhere";  // linking: the identity went to another account meanwhile
}  // namespace federation_refusal

struct FederationRefused {
  std::string reason;  // a word: federation/refusal.h's, or federation_refusal::k…
};

// Send the browser to `url`; keep `flow_token` in a cookie until the answer.
struct FederationStarted {
  std::string url;
  std::string flow_token;
  TimePoint expires_at{};
};
using FederationStartOutcome = std::variant<FederationStarted, FederationRefused>;

// A verified identity not linked yet whose account is known (PSC: by RPPS)
// or to be chosen by signing in (oidc preset): the member signs in (password
// and second step) to confirm; `link_token` goes into a cookie.
struct FederationLinkPending {
  std::string link_token;
  TimePoint expires_at{};
};
// A person no account knows, where the provider allows creating accounts:
// the page /nouveau-compte shows what will be created; `offer_token` goes
// into a cookie (flow/federation/federated_account_creation_service.h).
struct FederationAccountOffered {
  std::string offer_token;
  TimePoint expires_at{};
};
using FederationOutcome =
    std::variant<SignedIn, SecondStepRequired, FederationLinkPending, FederationRefused, FederationAccountOffered>;

// The identity waiting to be linked, for the pages.
struct PendingFederatedLink {
  std::string provider;
  std::string label;
  std::string display_name;
  std::string rpps;  // PSC: the RPPS the account must carry; empty for "oidc"
  TimePoint created_at{};
};

}  // namespace portier
