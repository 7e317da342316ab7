#pragma once
#include <functional>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "common/metrics.h"
#include "credential/password_hasher.h"
#include "credential/password_policy.h"
#include "flow/flow_store.h"
#include "flow/second_step/second_step_service.h"
#include "flow/sign_in/sign_in_flow.h"
#include "flow/sign_in/sign_in_gate.h"
#include "session/device_trust.h"

namespace portier {

struct SignInSettings {
  std::chrono::seconds flow_lifetime{15 * 60};
  std::string portal_name = "portier";
};

// Signs members in with identifier and password. Never reveals whether an
// identifier exists: unknown identifiers cost one dummy hash and get the same
// answer as a wrong password.
class SignInService {
public:
  // Called when a failure suspends or locks a known account, to tell its
  // member (the app queues a message).
  using SuspensionNotice = std::function<void(const Account&, const Suspension&)>;

  SignInService(AccountStore& accounts, FlowStore& flows, SessionService& sessions, const PasswordHasher& hasher,
                const PasswordPolicy& policy, AuditLog& audit, const SecretHasher& secrets, Random& random,
                const Clock& clock, Metrics& metrics, SignInGuard& guard, DeviceTrust& devices,
                SuspensionNotice on_suspended, SignInSettings settings, SecondStepService* second_step = nullptr,
                SignInGate* gate = nullptr);

  // `device_cookie` is the browser's device cookie (may be empty).
  // `insist_on_second_step`: the sign-in is for an application that asked
  // for two factors (acr_values), so the second step is asked even when the
  // account's role would not need it.
  Result<SignInOutcome> submit_password(std::string_view identifier, std::string_view password,
                                        const ClientInfo& client, std::string_view device_cookie = {},
                                        bool insist_on_second_step = false);
  // The second step's code (sent, app or recovery code) for the flow the
  // password opened.
  Result<SecondStepOutcome> submit_second_step(std::string_view flow_token, SecondStepMethod method,
                                               std::string_view code, const ClientInfo& client,
                                               std::string_view device_cookie = {});
  // Checks that a password-change flow is still usable (for showing its page).
  Result<FlowEnvelope> pending_change(std::string_view flow_token);
  Result<NewPasswordOutcome> submit_new_password(std::string_view flow_token, std::string_view password,
                                                 std::string_view confirmation, const ClientInfo& client);

private:
  Result<SignedIn> complete(Account account, const ClientInfo& client, std::string auth_methods = "pwd");
  // Every factor passed: the forced change of a temporary password, or a
  // session recording `auth_methods` ("pwd", "pwd+app", ...).
  Result<std::variant<SignedIn, PasswordChangeRequired>> authenticated(Account account, const ClientInfo& client,
                                                                       std::string_view device_cookie,
                                                                       std::string auth_methods);
  Result<SignInOutcome> suspended(std::optional<AccountId> target, const ClientInfo& client, const Suspension& s,
                                  const char* why);
  Rejected reject(std::optional<AccountId> target, const ClientInfo& client, const char* why);

  AccountStore& accounts_;
  FlowStore& flows_;
  SessionService& sessions_;
  const PasswordHasher& hasher_;
  const PasswordPolicy& policy_;
  AuditLog& audit_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  Metrics& metrics_;
  SignInGuard& guard_;
  DeviceTrust& devices_;
  SuspensionNotice on_suspended_;
  SignInSettings settings_;
  SecondStepService* second_step_;
  SignInGate* gate_;  // null: no address back-off or success limits (unit tests of other rules)
};

// Words a password must not contain for this account (NIST SP 800-63B context words).
std::vector<std::string> password_context(const Account& account, const std::string& portal_name);

}  // namespace portier
