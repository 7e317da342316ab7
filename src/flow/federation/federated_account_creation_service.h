#pragma once
// Creates a member account from what Pro Santé Connect vouches for, when the
// operator allows it (federation.providers[].create_accounts): a person
// whose identity is linked to no account and whose RPPS no account has sees
// what would be created, and confirms. Never creates without that
// confirmation, never a second account for an identity, an RPPS or an
// address already in use, and never half an account. docs/federation.md.
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "common/random.h"
#include "common/secret_hasher.h"
#include "federation/relying_party.h"
#include "flow/federation/federated_account_store.h"
#include "flow/federation/federated_session_store.h"
#include "flow/federation/profession.h"
#include "flow/flow_store.h"
#include "flow/sign_in/sign_in_flow.h"
#include "session/session_service.h"

namespace portier {

// What the account will be made of: shown on the page, kept server-side in
// the flow (the browser holds only the flow's random token).
struct AccountProposal {
  std::string provider, issuer, subject, person_id;
  std::string rpps;  // 11 digits, from person_id ("8" + RPPS)
  std::string given_name, family_name;
  std::string email;  // normalised (account/identifiers.h)
  Profession profession;
  std::string acr;
  std::string id_token;  // for logout at the provider, remembered with the session
  std::string display_name() const;  // "Jeanne Dupont"
};

enum class CreationRefusal {
  Unusable,       // the claims lack a valid RPPS, an email address or a name: the operator invites instead
  Expired,        // the offer is older than its lifetime, or unknown: start again from the provider
  AlreadyUsed,    // the offer was confirmed already (another tab): the account exists or was refused
  AlreadyLinked,  // the identity got an account meanwhile: sign in through the provider
  RppsTaken,      // an account has this RPPS (made meanwhile): link it by signing in once
  EmailTaken,     // another account uses this address: support decides
};
const char* to_string(CreationRefusal r);

struct CreationRefused {
  CreationRefusal reason;
};
// The page shows `proposal`; `token` goes into a cookie until `expires_at`.
struct CreationOffered {
  std::string token;
  TimePoint expires_at{};
  AccountProposal proposal;
};
using OfferOutcome = std::variant<CreationOffered, CreationRefused>;
using CreateOutcome = std::variant<SignedIn, CreationRefused>;

struct PendingCreation {
  AccountProposal proposal;
  TimePoint expires_at{};
};

// The new member is welcomed by mail (web/app: templates/mail/federation.account_created).
using AccountCreatedNotice = std::function<void(const Account&, const AccountProposal&)>;

struct FederatedAccountCreationSettings {
  std::chrono::seconds offer_lifetime{15 * 60};
};

class FederatedAccountCreationService {
public:
  FederatedAccountCreationService(AccountStore& accounts, FederatedAccountStore& store, FlowStore& flows,
                                  SessionService& sessions, AuditLog& audit, const SecretHasher& secrets,
                                  Random& random, const Clock& clock, AccountCreatedNotice notice,
                                  FederatedAccountCreationSettings settings = {},
                                  FederatedSessionStore* federated_sessions = nullptr);

  // The identity is linked to nothing and no account has its RPPS (the
  // sign-in's "unknown_person" branch), and its provider allows creation:
  // keeps the proposal in a flow. Refused (Unusable, not audited: the caller
  // falls back to its unknown_person refusal) when the claims cannot make an
  // account (no valid RPPS, address or family name).
  Result<OfferOutcome> offer(const federation::FederatedIdentity& identity, const ClientInfo& client);
  // The proposal waiting for confirmation; NotFound (unknown, used) or Expired.
  Result<PendingCreation> pending(std::string_view token);
  // Spends the offer (single use: of two tabs, one goes on), then creates
  // the account and its link in one transaction, signs the member in
  // ("psc"), audits federation.account_created and federation.linked, and
  // welcomes them by mail.
  Result<CreateOutcome> confirm(std::string_view token, const ClientInfo& client);
  // The member declined: the offer is spent (a copy of the cookie cannot
  // confirm it later). Nothing to say when it was unknown or used.
  Result<void> cancel(std::string_view token);

  const FederatedAccountCreationSettings& settings() const { return settings_; }
  // The ID tokens of federated sessions, for logout at the provider (app/; null: not kept).
  void set_session_store(FederatedSessionStore* store) { federated_sessions_ = store; }

private:
  CreationRefused refuse(CreationRefusal why, const AccountProposal& p, const ClientInfo& client);
  Result<std::string> free_identifier(const AccountProposal& p, int skip);

  AccountStore& accounts_;
  FederatedAccountStore& store_;
  FlowStore& flows_;
  SessionService& sessions_;
  AuditLog& audit_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  AccountCreatedNotice notice_;
  FederatedAccountCreationSettings settings_;
  FederatedSessionStore* federated_sessions_;
};

}  // namespace portier
