#pragma once
#include <functional>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "common/random.h"
#include "common/secret_hasher.h"
#include "credential/password_hasher.h"
#include "credential/password_policy.h"
#include "flow/activation/activation_flow.h"
#include "flow/activation/activation_store.h"
#include "flow/flow_store.h"
#include "flow/token_flow_store.h"
#include "notify/message_composer.h"
#include "notify/outbox_store.h"
#include "throttle/rate_limiter.h"

namespace portier {

struct ActivationSettings {
  std::chrono::seconds invitation_lifetime{7 * 24 * 3600};  // of the link and the code
  RateLimit per_target{3, std::chrono::hours(1)};   // invitations the public form can trigger per target
  RateLimit per_client{20, std::chrono::hours(1)};  // public requests, and codes typed, per client address
  std::string portal_name = "portier";
  std::string public_url = "http://localhost:8080";
  int max_code_attempts = 5;                       // per code entry (the browser's request)
  std::chrono::seconds code_entry_lifetime{15 * 60};  // a locked code entry opens again after it
};

// Invitations of pending accounts and their activation. Never reveals
// whether an identifier or address exists or is pending; never activates an
// account without a valid, unspent invitation; never signs the member in.
class ActivationService {
public:
  ActivationService(AccountStore& accounts, TokenFlowStore& tokens, ActivationStore& store, RateLimiter& limiter,
                    const MessageComposer& composer, const PasswordHasher& hasher, const PasswordPolicy& policy,
                    AuditLog& audit, const SecretHasher& secrets, Random& random, const Clock& clock,
                    std::function<void()> wake_outbox, ActivationSettings settings, FlowStore* code_entries = nullptr,
                    OutboxStore* outbox = nullptr);

  // Queues an invitation for a pending account, revoking older ones.
  // FlowStateInvalid when the account is not pending.
  Result<Invited> invite(const Account& account, std::string_view lang, std::optional<AccountId> actor,
                         const ClientInfo& client);
  // The public "Première connexion" form: `target` is an identifier or an
  // email address. Pending accounts get an invitation, active ones (with an
  // outbox) a "your account is already active" message with links to sign
  // in and to reset the password; the answer is the same for every target.
  Result<InvitationRequestOutcome> request_again(std::string_view target, std::string_view lang,
                                                 const ClientInfo& client);
  // NotFound when the link or code is unknown, used or revoked (or the
  // account no longer pending); Expired when late. Spends nothing.
  Result<ActivationTarget> check(ActivationSecret kind, std::string_view secret);
  // A code typed on the page: counted, before it is checked, per client
  // address and on the browser's code entry (`entry_token`, its cookie; a
  // new entry is opened, and `entry_token` set, when it is empty, unknown
  // or over). Each count is one atomic statement.
  Result<ActivationCodeOutcome> submit_code(std::string& entry_token, std::string_view code,
                                            const ClientInfo& client);
  // Sets the password and activates the account, spending the token.
  Result<ActivateOutcome> activate(ActivationSecret kind, std::string_view secret, std::string_view password,
                                   std::string_view confirmation, const ClientInfo& client);

  std::chrono::seconds invitation_lifetime() const { return settings_.invitation_lifetime; }
  std::chrono::seconds code_entry_lifetime() const { return settings_.code_entry_lifetime; }

private:
  // Queues "your account is already active" for an active account.
  Result<void> tell_already_active(const Account& account, std::string_view lang, const ClientInfo& client);
  TokenIssue issue_for(const Account& account, std::string_view lang, TimePoint now);
  Result<OneTimeToken> usable_token(ActivationSecret kind, std::string_view secret);
  Result<Account> pending_account_of(const OneTimeToken& token);
  // Counts one code typed from this address; false (audited) past per_client.
  Result<bool> count_typed_code(const ClientInfo& client);
  // The browser's code entry, opened anew when missing or over.
  Result<FlowEnvelope> code_entry(std::string& entry_token);

  AccountStore& accounts_;
  TokenFlowStore& tokens_;
  ActivationStore& store_;
  RateLimiter& limiter_;
  const MessageComposer& composer_;
  const PasswordHasher& hasher_;
  const PasswordPolicy& policy_;
  AuditLog& audit_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  std::function<void()> wake_outbox_;
  ActivationSettings settings_;
  FlowStore* code_entries_;
  OutboxStore* outbox_;  // null: active accounts are told nothing (unit tests of other rules)
};

}  // namespace portier
