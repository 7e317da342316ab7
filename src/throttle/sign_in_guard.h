#pragma once
// Decides whether a password may be tried, and counts the failures: the
// seed's "deactivated after several failures, re-activated an hour later",
// without letting strangers lock members out. Three counters per attempt,
// all keyed by a hash of the identifier typed (so an unknown identifier is
// treated exactly like a known one):
//   - pw:untrusted: failures from browsers that never signed in to the
//     account: N of them suspend *unknown browsers* for the period;
//   - pw:device:<nonce>: failures from one browser holding the account's
//     device cookie: N of them suspend that browser only;
//   - pw:total: every failure; the NIST ceiling (100) locks the account
//     until a password reset or a support unlock.
// A success clears the counters of the attempt. Never hashes a password.
#include <optional>
#include <string>
#include <vector>

#include "common/secret_hasher.h"
#include "throttle/lockout_store.h"

namespace portier {

struct LockoutSettings {
  int threshold = 5;                       // consecutive failures before a suspension
  std::chrono::seconds period{3600};       // length of a suspension
  int ceiling = 100;                       // consecutive failures before a lock until reset
};

struct GuardedAttempt {
  std::vector<LockoutRule> rules;
  bool trusted_device = false;
  // Set by begin(): failures still tolerated should this one fail (-1: unknown).
  int failures_left = -1;
};

// The attempt was refused, or the failure just suspended or locked it.
struct Suspension {
  std::optional<TimePoint> until;  // timed suspension
  bool until_reset = false;        // the ceiling
};

class SignInGuard {
public:
  SignInGuard(LockoutStore& store, const SecretHasher& secrets, const Clock& clock, LockoutSettings settings)
      : store_(store), secrets_(secrets), clock_(clock), settings_(settings) {}

  // `identifier` as normalised (or as typed when it does not normalise);
  // `device_nonce` the browser's device entry for this account, if any.
  GuardedAttempt attempt(std::string_view identifier, std::optional<AccountId> account,
                         const std::optional<std::string>& device_nonce) const;
  // Claims the attempt; a Suspension when it may not go ahead.
  Result<std::optional<Suspension>> begin(GuardedAttempt& attempt);
  // The password was wrong; a Suspension when this failure engaged one.
  Result<std::optional<Suspension>> failed(const GuardedAttempt& attempt);
  Result<void> succeeded(const GuardedAttempt& attempt);
  const LockoutSettings& settings() const { return settings_; }

private:
  LockoutStore& store_;
  const SecretHasher& secrets_;
  const Clock& clock_;
  LockoutSettings settings_;
};

}  // namespace portier
