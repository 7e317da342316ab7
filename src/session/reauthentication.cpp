#include "session/reauthentication.h"

#include "credential/password_policy.h"

namespace portier {

namespace {
// An app code is six digits (spaces allowed, as apps show "123 456"); any
// other answer is tried as a recovery code.
bool looks_like_app_code(std::string_view code) {
  int digits = 0;
  for (char c : code) {
    if (c >= '0' && c <= '9') ++digits;
    else if (c != ' ') return false;
  }
  return digits == 6;
}
}  // namespace

Reauthentication::Reauthentication(const PasswordHasher& hasher, LockoutStore& lockouts, SessionService& sessions,
                                   TotpService& totp, AuditLog& audit, const Clock& clock,
                                   LockedOutNotice on_locked_out, ReauthSettings settings)
    : hasher_(hasher),
      lockouts_(lockouts),
      sessions_(sessions),
      totp_(totp),
      audit_(audit),
      clock_(clock),
      on_locked_out_(std::move(on_locked_out)),
      settings_(settings) {}

LockoutRule Reauthentication::rule(const Account& account) const {
  // A timed rule only so that a claim racing the lock-out is refused; the
  // counter is cleared as soon as the sessions are ended.
  return LockoutRule{"reauth:account:" + std::to_string(account.id), account.id, settings_.max_failures,
                     std::chrono::seconds(15 * 60)};
}

Result<ReauthOutcome> Reauthentication::check(const Account& account, ReauthProof proof, ReauthFactor factor,
                                              std::string_view purpose, const ClientInfo& client) {
  bool wants_app = false;
  if (factor == ReauthFactor::AppIfEnrolled) {
    auto enrolled = totp_.is_enrolled(account.id);
    if (!enrolled) return tl::unexpected(enrolled.error());
    wants_app = *enrolled;
  }
  // Empty fields are the member's slip, not a guess: nothing is counted.
  ReauthRefused missing;
  if (proof.password.empty()) missing.password_problem = "required";
  if (wants_app && proof.app_code.empty()) missing.app_code_problem = "required";
  if (!missing.password_problem.empty() || !missing.app_code_problem.empty()) {
    missing.attempts_left = settings_.max_failures;
    return missing;
  }

  std::vector<LockoutRule> rules{rule(account)};
  auto claim = lockouts_.claim(rules, clock_.now());
  if (!claim) return tl::unexpected(claim.error());
  if (!claim->allowed) {
    // Parallel guesses past the limit: the lock-out is under way.
    (void)sessions_.end_all(account.id, {});
    return ReauthLockedOut{};
  }

  auto normalized = normalize_password(proof.password);
  bool password_ok = normalized && !account.password_hash.empty() && hasher_.verify(account.password_hash, *normalized);
  if (!normalized || account.password_hash.empty()) hasher_.verify_dummy(proof.password);

  ReauthPassed passed;
  bool code_ok = true;
  // The code is checked only after a right password: a wrong password must
  // not spend a recovery code nor burn the app's current time step.
  if (wants_app && password_ok) {
    if (looks_like_app_code(proof.app_code)) {
      auto verdict = totp_.verify(account.id, proof.app_code);
      if (!verdict) return tl::unexpected(verdict.error());
      code_ok = *verdict == TotpVerdict::Accepted;
      passed.used_app = true;
    } else {
      auto used = totp_.use_recovery_code(account.id, proof.app_code);
      if (!used) return tl::unexpected(used.error());
      code_ok = *used;
      passed.used_recovery_code = true;
    }
  }

  if (password_ok && code_ok) {
    if (auto r = lockouts_.record_success({rules[0].key}); !r) return tl::unexpected(r.error());
    audit_.record("reauth.success", account.id, account.id, client,
                  std::string(purpose) + (passed.used_app ? " (app)" : passed.used_recovery_code ? " (recovery code)" : ""));
    return passed;
  }

  auto engaged = lockouts_.record_failure(rules, clock_.now());
  if (!engaged) return tl::unexpected(engaged.error());
  audit_.record("reauth.failure", account.id, account.id, client,
                std::string(purpose) + (password_ok ? ": wrong app code" : ": wrong password"));
  if (!engaged->empty()) {
    auto ended = sessions_.end_all(account.id, {});
    (void)lockouts_.record_success({rules[0].key});
    audit_.record("reauth.locked_out", account.id, account.id, client,
                  std::to_string(settings_.max_failures) + " wrong answers; sessions ended: " +
                      std::to_string(ended ? *ended : 0));
    if (on_locked_out_) on_locked_out_(account, client);
    return ReauthLockedOut{};
  }
  auto states = lockouts_.for_account(account.id);
  int failures = 0;
  if (states)
    for (auto& s : *states)
      if (s.key == rules[0].key) failures = s.failures;
  ReauthRefused refused;
  refused.attempts_left = std::max(1, settings_.max_failures - failures);
  // With both asked and the password wrong, the code was not checked: say
  // only that the password is wrong.
  if (!password_ok) refused.password_problem = "wrong_current";
  else refused.app_code_problem = "wrong_code";
  return refused;
}

}  // namespace portier
