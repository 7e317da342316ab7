#pragma once
// Decides whether a second-step code may be tried, and counts the wrong
// ones per account, apart from passwords (a known password must not buy
// endless guesses through new sign-ins). Two counters, both on the account:
//   - code:account: `threshold` wrong codes in a row suspend the second step;
//     each suspension lasts twice the one before (period, 2×, 4×, … capped),
//     the number of earlier suspensions being read from the ceiling counter;
//   - code:total: every wrong code in a row, across periods; the ceiling
//     locks the second step until a password reset or a support unlock
//     (LockoutStore::clear_account), like the password ceiling.
// A right code clears both. Never looks at a code itself.
#include <optional>
#include <vector>

#include "throttle/lockout_store.h"
#include "throttle/sign_in_guard.h"

namespace portier {

struct SecondStepLimits {
  int threshold = 10;                 // wrong codes in a row before a suspension
  std::chrono::seconds period{3600};  // the first suspension; each next one doubles
  int ceiling = 50;                   // wrong codes in a row before a lock until reset
  int max_doublings = 6;              // period × 64 at most
};

// One claimed try: the rules it was counted on, or why it may not go ahead.
struct CodeAttempt {
  std::vector<LockoutRule> rules;
  std::optional<Suspension> refused;
  int failures_left = -1;  // wrong codes still tolerated should this one be wrong
};

class SecondStepGuard {
public:
  SecondStepGuard(LockoutStore& store, const Clock& clock, SecondStepLimits limits)
      : store_(store), clock_(clock), limits_(limits) {}

  // The length of the suspension that `failures_before` earlier wrong codes
  // in a row (the ceiling counter) lead to: period × 2^(failures_before / threshold).
  std::chrono::seconds suspension_for(int failures_before) const;
  std::vector<LockoutRule> rules(AccountId account, int failures_before) const;

  Result<CodeAttempt> begin(AccountId account);
  // The code was wrong; a Suspension when this failure engaged one.
  Result<std::optional<Suspension>> failed(const CodeAttempt& attempt);
  Result<void> succeeded(const CodeAttempt& attempt);
  const SecondStepLimits& limits() const { return limits_; }

private:
  LockoutStore& store_;
  const Clock& clock_;
  SecondStepLimits limits_;
};

}  // namespace portier
