#pragma once
#include <functional>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "credential/totp_service.h"
#include "flow/flow_store.h"
#include "flow/token_flow_store.h"
#include "flow/second_step/second_step_flow.h"
#include "notify/message_composer.h"
#include "throttle/lockout_store.h"
#include "throttle/rate_limiter.h"
#include "throttle/second_step_guard.h"

namespace portier {

struct SecondStepSettings {
  std::function<std::string(Role)> policy;  // "required", "optional" or "off" for a role
  std::chrono::seconds flow_lifetime{15 * 60};
  std::chrono::seconds code_lifetime{600};
  int max_attempts = 5;
  std::chrono::seconds resend_cooldown{60};
  int hourly_cap = 5;
  int account_failure_threshold = 10;
  std::chrono::seconds account_suspension{3600};  // the first one; each next one doubles
  int ceiling = 50;                                // wrong codes in a row before a lock until reset
  // Email/SMS codes beside an enrolled app (operator's choice; off: only the
  // app or a recovery code pass the second step of an account with an app).
  bool allow_code_fallback_with_app = false;
  // Sign-ins with the right password and a wrong code, in `password_known_window`,
  // before the member is told that someone seems to know their password.
  int password_known_after = 3;
  std::chrono::seconds password_known_window{24 * 3600};
  // Queues that notice (at most once a window); may be empty.
  std::function<void(const Account&)> on_password_known;
  // Claims one SMS from the anti-pumping budget (throttle/sms_budget.h:
  // prefixes, codes per number, daily ceiling); false: no SMS, the member
  // is offered email. Empty: no budget.
  std::function<bool(std::string_view e164)> claim_sms;
};

// Sends and checks second-step codes. Codes are 8 random digits, stored as
// a keyed hash bound to the flow, valid 10 minutes, 5 tries per sign-in
// (counted atomically), single use; wrong codes also count per account
// (apart from passwords) and suspend the second step past a threshold, with
// suspensions that double, up to a ceiling that locks it (SecondStepGuard).
// Once an app is enrolled only the app or a recovery code pass, unless the
// operator allows codes as a fallback.
// Never says whether a code was "close", and never sends to an unverified number.
class SecondStepService {
public:
  SecondStepService(AccountStore& accounts, FlowStore& flows, TokenFlowStore& flow_messages, LockoutStore& lockouts,
                    RateLimiter& limiter, TotpService& totp, const MessageComposer& composer, AuditLog& audit,
                    const SecretHasher& secrets, Random& random, const Clock& clock, std::function<void()> wake_outbox,
                    SecondStepSettings settings);

  // Whether this account must pass a second step now (policy of its role;
  // "optional" asks those with an app or a verified mobile number).
  Result<bool> required(const Account& account);
  // Whether codes by email or SMS may finish this account's second step.
  Result<bool> codes_allowed(AccountId account);
  // `first_factor`: what the member proved before this step, recorded in the
  // session as "<first_factor>+<method>" ("pwd", or "card" after a smart card).
  Result<SecondStepStarted> begin(const Account& account, const ClientInfo& client,
                                  std::string_view first_factor = "pwd");
  Result<SecondStepView> view(std::string_view flow_token);
  Result<SendOutcome> send(std::string_view flow_token, SecondStepMethod via, std::string_view lang,
                           const ClientInfo& client);
  // On success the flow is spent (completed): a code opens one session.
  Result<SecondStepCheck> check(std::string_view flow_token, SecondStepMethod method, std::string_view code,
                                const ClientInfo& client);

private:
  Result<FlowEnvelope> load(std::string_view flow_token);
  void count_password_known(AccountId account, const ClientInfo& client);

  AccountStore& accounts_;
  FlowStore& flows_;
  TokenFlowStore& flow_messages_;
  LockoutStore& lockouts_;
  RateLimiter& limiter_;
  TotpService& totp_;
  const MessageComposer& composer_;
  AuditLog& audit_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  std::function<void()> wake_outbox_;
  SecondStepSettings settings_;
  SecondStepGuard guard_;
};

}  // namespace portier
