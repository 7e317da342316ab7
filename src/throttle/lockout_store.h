#pragma once
#include <optional>
#include <string>
#include <vector>

#include "account/account.h"
#include "common/clock.h"
#include "common/result.h"

namespace portier {

// One counter of consecutive failures and what happens when it reaches its
// threshold: a suspension for `period`, or (no period) a lock that only a
// password reset or a support unlock lifts.
struct LockoutRule {
  std::string key;
  std::optional<AccountId> account;
  int threshold = 5;
  std::optional<std::chrono::seconds> period;  // none: until reset
};

// The state of one counter, for `portier user show` and the support console.
struct LockoutState {
  std::string key;
  int failures = 0;
  std::optional<TimePoint> locked_until;
  bool until_reset = false;
  TimePoint updated_at{};
};

// Answer to "may this attempt go ahead?"
struct AttemptClaim {
  bool allowed = false;
  std::optional<TimePoint> locked_until;  // when refused by a timed suspension
  bool until_reset = false;               // when refused by the ceiling
  // When allowed: the fewest failures any timed rule still tolerates should
  // this attempt fail (0: its failure suspends; -1: no timed rule). Lets the
  // page warn before the last attempt.
  int failures_left = -1;
};

// Persistence of lockout counters. Every method is atomic: counting happens
// in the database, so parallel attempts (on one node or several) cannot slip
// past a threshold.
class LockoutStore {
public:
  virtual ~LockoutStore() = default;
  /// In one transaction: refuses when any rule's counter is suspended, locked
  /// until reset, or already at its threshold with an attempt in flight;
  /// otherwise counts one attempt on every rule (a suspension that has run
  /// out starts the count again). Refusals change nothing.
  virtual Result<AttemptClaim> claim(const std::vector<LockoutRule>& rules, TimePoint now) = 0;
  /// The claimed attempt failed: every rule whose counter reached its
  /// threshold is suspended (now + period) or locked until reset. Returns the
  /// keys that became suspended or locked by this failure.
  virtual Result<std::vector<std::string>> record_failure(const std::vector<LockoutRule>& rules, TimePoint now) = 0;
  /// The claimed attempt succeeded: these counters start again from zero.
  virtual Result<void> record_success(const std::vector<std::string>& keys) = 0;
  /// Forgets every counter of the account (password reset, support unlock).
  virtual Result<int> clear_account(AccountId account) = 0;
  virtual Result<std::vector<LockoutState>> for_account(AccountId account) = 0;
  /// Deletes counters untouched since `before` and not locked until reset.
  virtual Result<int> purge(TimePoint before) = 0;
};

}  // namespace portier
