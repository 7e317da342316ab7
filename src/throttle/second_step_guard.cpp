#include "throttle/second_step_guard.h"

#include <algorithm>

namespace portier {

namespace {
std::string account_key(AccountId a) { return "code:account:" + std::to_string(a); }
std::string total_key(AccountId a) { return "code:total:" + std::to_string(a); }
}  // namespace

std::chrono::seconds SecondStepGuard::suspension_for(int failures_before) const {
  int doublings = std::clamp(failures_before / std::max(1, limits_.threshold), 0, limits_.max_doublings);
  return limits_.period * (1 << doublings);
}

std::vector<LockoutRule> SecondStepGuard::rules(AccountId account, int failures_before) const {
  return {LockoutRule{account_key(account), account, limits_.threshold, suspension_for(failures_before)},
          LockoutRule{total_key(account), account, limits_.ceiling, std::nullopt}};
}

Result<CodeAttempt> SecondStepGuard::begin(AccountId account) {
  // The count is read before the claim only to size the next suspension: a
  // race there changes a suspension's length, never whether one happens
  // (the claim itself is atomic).
  auto states = store_.for_account(account);
  if (!states) return tl::unexpected(states.error());
  int before = 0;
  for (auto& s : *states)
    if (s.key == total_key(account)) before = s.failures;
  CodeAttempt out{rules(account, before), std::nullopt};
  auto claim = store_.claim(out.rules, clock_.now());
  if (!claim) return tl::unexpected(claim.error());
  out.failures_left = claim->failures_left;
  if (!claim->allowed) out.refused = Suspension{claim->locked_until, claim->until_reset};
  return out;
}

Result<std::optional<Suspension>> SecondStepGuard::failed(const CodeAttempt& attempt) {
  auto now = clock_.now();
  auto engaged = store_.record_failure(attempt.rules, now);
  if (!engaged) return tl::unexpected(engaged.error());
  if (engaged->empty()) return std::optional<Suspension>();
  bool ceiling = std::find(engaged->begin(), engaged->end(), attempt.rules[1].key) != engaged->end();
  if (ceiling) return std::optional<Suspension>(Suspension{std::nullopt, true});
  return std::optional<Suspension>(Suspension{now + *attempt.rules[0].period, false});
}

Result<void> SecondStepGuard::succeeded(const CodeAttempt& attempt) {
  std::vector<std::string> keys;
  for (auto& r : attempt.rules) keys.push_back(r.key);
  return store_.record_success(keys);
}

}  // namespace portier
