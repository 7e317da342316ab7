#include "throttle/sign_in_guard.h"

#include <algorithm>

namespace portier {

GuardedAttempt SignInGuard::attempt(std::string_view identifier, std::optional<AccountId> account,
                                    const std::optional<std::string>& device_nonce) const {
  auto who = secrets_.digest("lockout-identifier", identifier);
  GuardedAttempt a;
  a.trusted_device = device_nonce.has_value();
  // The device counter is keyed by account and nonce: a cookie copied to
  // another account's attempt counts nowhere useful.
  a.rules.push_back(a.trusted_device
                        ? LockoutRule{"pw:device:" + secrets_.digest("lockout-device", who + *device_nonce), account,
                                      settings_.threshold, settings_.period}
                        : LockoutRule{"pw:untrusted:" + who, account, settings_.threshold, settings_.period});
  a.rules.push_back(LockoutRule{"pw:total:" + who, account, settings_.ceiling, std::nullopt});
  return a;
}

Result<std::optional<Suspension>> SignInGuard::begin(GuardedAttempt& attempt) {
  auto claim = store_.claim(attempt.rules, clock_.now());
  if (!claim) return tl::unexpected(claim.error());
  attempt.failures_left = claim->failures_left;
  if (claim->allowed) return std::optional<Suspension>();
  return std::optional<Suspension>(Suspension{claim->locked_until, claim->until_reset});
}

Result<std::optional<Suspension>> SignInGuard::failed(const GuardedAttempt& attempt) {
  auto now = clock_.now();
  auto engaged = store_.record_failure(attempt.rules, now);
  if (!engaged) return tl::unexpected(engaged.error());
  if (engaged->empty()) return std::optional<Suspension>();
  bool ceiling = std::find(engaged->begin(), engaged->end(), attempt.rules[1].key) != engaged->end();
  if (ceiling) return std::optional<Suspension>(Suspension{std::nullopt, true});
  return std::optional<Suspension>(Suspension{now + settings_.period, false});
}

Result<void> SignInGuard::succeeded(const GuardedAttempt& attempt) {
  std::vector<std::string> keys;
  for (auto& r : attempt.rules) keys.push_back(r.key);
  return store_.record_success(keys);
}

}  // namespace portier
