#pragma once
#include <functional>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "common/metrics.h"
#include "common/random.h"
#include "common/secret_hasher.h"
#include "credential/password_hasher.h"
#include "credential/password_policy.h"
#include "flow/flow_store.h"
#include "flow/recovery/recovery_flow.h"
#include "flow/recovery/recovery_store.h"
#include "notify/message_composer.h"
#include "throttle/rate_limiter.h"

namespace portier {

struct RecoverySettings {
  std::chrono::seconds lifetime{3600};        // of the link, the code and the flow
  std::chrono::seconds resend_cooldown{60};
  RateLimit per_target{5, std::chrono::hours(1)};   // messages one identifier or address can trigger
  RateLimit per_client{20, std::chrono::hours(1)};  // requests from one client address
  int max_code_attempts = 5;
  std::string portal_name = "portier";
  std::string public_url = "http://localhost:8080";
};

// Forgot password, by link or by code. Never reveals whether an identifier or
// address exists: every request gets the same flow, page and deadline; no
// account changes before a valid link or code is presented.
class RecoveryService {
public:
  RecoveryService(AccountStore& accounts, FlowStore& flows, RecoveryStore& store, RateLimiter& limiter,
                  const MessageComposer& composer, const PasswordHasher& hasher, const PasswordPolicy& policy,
                  AuditLog& audit, const SecretHasher& secrets, Random& random, const Clock& clock,
                  std::function<void()> wake_outbox, RecoverySettings settings);

  // `target` is an identifier or an email address; `lang` the language of
  // the page, used for the message too.
  Result<RecoveryRequestOutcome> request(std::string_view target, std::string_view lang, const ClientInfo& client);
  Result<RecoveryStatus> status(std::string_view flow_token);
  Result<ResendOutcome> resend(std::string_view flow_token, std::string_view lang, const ClientInfo& client);
  // The code typed on the "message sent" page. Expired/NotFound when the
  // flow is gone. Every code typed counts, before it is checked, against the
  // request (max_code_attempts, one atomic statement) and the client
  // address (per_client): parallel guesses cannot go past either.
  Result<CodeOutcome> check_code(std::string_view flow_token, std::string_view code, const ClientInfo& client);
  // NotFound when the link or code is unknown, used or revoked; Expired when late.
  Result<ResetTarget> check_secret(RecoverySecret kind, std::string_view secret);
  // A code-kind `secret` counts against the client address like a code
  // typed on the code page (the form can be posted without that page).
  Result<ResetOutcome> reset_password(RecoverySecret kind, std::string_view secret, std::string_view password,
                                      std::string_view confirmation, std::string_view lang,
                                      const ClientInfo& client);

private:
  Result<std::vector<Account>> accounts_for(std::string_view target);
  TokenIssue issue_for(const Account& account, std::string_view lang, TimePoint now);
  Result<FlowEnvelope> load(std::string_view flow_token);
  Result<OneTimeToken> usable_token(RecoverySecret kind, std::string_view secret);
  std::string hash_secret(RecoverySecret kind, std::string_view secret) const;
  // Counts one typed code from this address; false (audited) past per_client.
  Result<bool> count_typed_code(const ClientInfo& client, std::optional<AccountId> about);

  AccountStore& accounts_;
  FlowStore& flows_;
  RecoveryStore& store_;
  RateLimiter& limiter_;
  const MessageComposer& composer_;
  const PasswordHasher& hasher_;
  const PasswordPolicy& policy_;
  AuditLog& audit_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  std::function<void()> wake_outbox_;
  RecoverySettings settings_;
};

// The long code of a recovery message: 16 characters from an alphabet
// without look-alikes (≈79 bits), shown in groups of four.
inline constexpr std::string_view kRecoveryCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
std::string group_code(std::string_view code);
// Upper-cases and drops spaces and dashes, so a pasted "abcd-efgh …" works.
std::string normalize_code(std::string_view typed);

}  // namespace portier
