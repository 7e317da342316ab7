#pragma once
// Signs members in through external OpenID Connect providers (Pro Santé
// Connect, an establishment's own), docs/federation.md: starts the
// authorization request and keeps it in a flow, judges the answer once
// (federation::RelyingParty), signs in a linked identity, links an unknown
// one after an ordinary sign-in to the right account, lists and unlinks.
// Never tells the member why a provider's answer was refused (the audit log
// says it), and never links an identity to an account it was not proved for.
#include <functional>
#include <map>
#include <vector>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "common/random.h"
#include "common/secret_hasher.h"
#include "federation/relying_party.h"
#include "flow/card/linked_card_store.h"
#include "flow/federation/federated_account_creation_service.h"
#include "flow/federation/federated_identity_store.h"
#include "flow/federation/federated_session_store.h"
#include "flow/federation/federated_sign_in_flow.h"
#include "flow/flow_store.h"
#include "flow/second_step/second_step_service.h"
#include "session/session_service.h"

namespace portier {

struct FederatedSignInSettings {
  std::chrono::seconds login_lifetime{federation::RelyingParty::kLoginLifetime};
  std::chrono::seconds link_lifetime{15 * 60};  // to sign in and confirm at first use
};

// One configured provider: what the service decides by, and its relying party.
struct FederationProvider {
  FederationProviderSettings settings;
  federation::RelyingParty* party = nullptr;
};

// An identity linked or unlinked: the member is told by mail (`by_staff`:
// an administrator unlinked it).
using FederationNotice =
    std::function<void(const Account&, const FederatedLink&, const std::string& label, bool linked, bool by_staff)>;

class FederatedSignInService {
public:
  FederatedSignInService(AccountStore& accounts, FederatedIdentityStore& identities, LinkedCardStore& rpps_lookup,
                         FlowStore& flows, SessionService& sessions, AuditLog& audit, const SecretHasher& secrets,
                         Random& random, const Clock& clock, FederationNotice notice,
                         std::vector<FederationProvider> providers, FederatedSignInSettings settings = {},
                         SecondStepService* second_step = nullptr);

  // The provider's settings; null when no such provider is configured.
  const FederationProviderSettings* provider(std::string_view id) const;
  std::vector<FederationProviderSettings> providers() const;

  // The authorization request (fetches the provider's discovery document:
  // blocking). The PendingLogin stays in a federation_login flow; the
  // browser keeps only its token. Refused: unknown provider, or the
  // provider unreachable ("unavailable", "discovery"), audited.
  Result<FederationStartOutcome> start(std::string_view provider, const std::string& redirect_uri,
                                       const ClientInfo& client);
  // The provider's answer (the redirect's query). Spends the flow first (an
  // answer is judged once), then lets the relying party judge it, then
  // admit(). `insist_second_step`: the application waiting asks for two
  // factors (the "oidc" preset then asks the second step whatever the role).
  Result<FederationOutcome> finish(std::string_view provider, std::string_view flow_token,
                                   const std::map<std::string, std::string>& answer, const ClientInfo& client,
                                   bool insist_second_step = false);
  // What a verified identity may do: sign in (linked, account active), or
  // link after a sign-in (first use), or nothing (refused, audited).
  Result<FederationOutcome> admit(const federation::FederatedIdentity& identity, const ClientInfo& client,
                                  bool insist_second_step = false);

  // The identity waiting to be linked; NotFound / Expired otherwise.
  Result<PendingFederatedLink> pending_link(std::string_view link_token);
  // Links the pending identity to the account of `session`, which must have
  // been opened after the identity came back from the provider (else
  // FlowStateInvalid) and, for PSC, carry its RPPS. Audited
  // federation.linked, the member told.
  Result<std::variant<FederatedLink, FederationRefused>> confirm_link(std::string_view link_token, const Session& session,
                                                                      const ClientInfo& client);

  // The account's linked identities, most recently linked first.
  Result<std::vector<FederatedLink>> links_of(AccountId account);
  // False when the account has no identity at this provider. `actor`: the
  // member, or the administrator who unlinked it (the member is told either
  // way), whose `reason` (the console's) goes in the audit event. Audited
  // federation.unlinked.
  Result<bool> unlink(AccountId account, std::string_view provider, AccountId actor, const ClientInfo& client,
                      std::string_view reason = {});

  const FederatedSignInSettings& settings() const { return settings_; }
  // The ID tokens of federated sessions, for logout at the provider (set by
  // app/ when the store exists; null: not kept).
  void set_session_store(FederatedSessionStore* store) { federated_sessions_ = store; }
  // Account creation for providers with create_accounts (set by app/; null: refused as unknown_person).
  void set_account_creation(FederatedAccountCreationService* creation) { creation_ = creation; }

private:
  FederationRefused refuse(std::string_view provider, std::string_view reason, std::optional<AccountId> target,
                           const ClientInfo& client, std::string_view detail = {});
  Result<FederationOutcome> sign_in(const FederationProviderSettings& p, const federation::FederatedIdentity& identity,
                                    Account account, const ClientInfo& client, bool insist_second_step);
  // First use: an identity not linked yet.
  Result<FederationOutcome> first_use(const FederationProviderSettings& p,
                                      const federation::FederatedIdentity& identity, const ClientInfo& client);
  // No account for this person: the one place where account creation
  // (create_accounts, a later part) will go.
  Result<FederationOutcome> unknown_person(const FederationProviderSettings& p,
                                           const federation::FederatedIdentity& identity, const ClientInfo& client,
                                           std::string_view why);
  Result<FederationOutcome> keep_for_linking(const FederationProviderSettings& p,
                                             const federation::FederatedIdentity& identity, const std::string& rpps);
  const FederationProvider* find_provider(std::string_view id) const;

  AccountStore& accounts_;
  FederatedIdentityStore& identities_;
  LinkedCardStore& rpps_lookup_;
  FlowStore& flows_;
  SessionService& sessions_;
  AuditLog& audit_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  FederationNotice notice_;
  std::vector<FederationProvider> providers_;
  FederatedSignInSettings settings_;
  SecondStepService* second_step_;
  FederatedSessionStore* federated_sessions_ = nullptr;
  FederatedAccountCreationService* creation_ = nullptr;
};

// The RPPS a PSC person id names ("8" + 11 digits, the last a Luhn check
// digit); nullopt for anything else (ADELI, FINESS staff, malformed).
std::optional<std::string> rpps_of_person_id(std::string_view person_id);

// The session's auth_methods for a sign-in through this provider without a
// second step: "psc" (PSC presets, acr eidas1: two factors), "fed-mfa" (an
// "oidc" provider the operator declares multi-factor), "fed" (one factor).
std::string federated_auth_methods(const FederationProviderSettings& p);

}  // namespace portier
