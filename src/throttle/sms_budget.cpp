#include "throttle/sms_budget.h"

namespace portier {

namespace {
constexpr std::chrono::seconds kDay{24 * 3600};
}

bool sms_destination_allowed(std::string_view e164, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes)
    if (!p.empty() && e164.size() > p.size() && e164.substr(0, p.size()) == p) return true;
  return false;
}

const char* to_string(SmsRefusal r) {
  switch (r) {
    case SmsRefusal::None: return "none";
    case SmsRefusal::Prefix: return "prefix";
    case SmsRefusal::RobotCheck: return "robot_check";
    case SmsRefusal::AccountCap: return "account_cap";
    case SmsRefusal::NumberCap: return "number_cap";
    case SmsRefusal::DailyCeiling: return "daily_ceiling";
  }
  return "?";
}

SmsBudget::SmsBudget(RateLimitStore& store, const SecretHasher& secrets, const Clock& clock, SmsLimits limits)
    : store_(store), secrets_(secrets), clock_(clock), limits_(std::move(limits)) {}

bool SmsBudget::destination_allowed(std::string_view e164) const {
  return sms_destination_allowed(e164, limits_.allowed_prefixes);
}

std::string SmsBudget::account_key(AccountId account) const {
  return "sms:verify:account:" + std::to_string(account);
}

Result<bool> SmsBudget::needs_robot_check(AccountId account) {
  auto n = store_.peek(account_key(account), kDay, clock_.now());
  if (!n) return tl::unexpected(n.error());
  return *n >= limits_.robot_check_after;
}

Result<SmsRefusal> SmsBudget::claim_verification(AccountId account, std::string_view e164, bool robot_passed) {
  if (!destination_allowed(e164)) return SmsRefusal::Prefix;
  if (!robot_passed) {
    auto robot = needs_robot_check(account);
    if (!robot) return tl::unexpected(robot.error());
    if (*robot) return SmsRefusal::RobotCheck;
  }
  // The account first: a member at their cap uses up nothing of the number's
  // or the service's allowance. A claim refused further on keeps the
  // account's unit spent: asking counts, so retrying is not free.
  auto mine = store_.take(account_key(account), kDay, limits_.verification_codes_per_account, clock_.now());
  if (!mine) return tl::unexpected(mine.error());
  if (!*mine) return SmsRefusal::AccountCap;
  return claim_number_and_ceiling(e164);
}

Result<SmsRefusal> SmsBudget::claim_code(std::string_view e164) {
  if (!destination_allowed(e164)) return SmsRefusal::Prefix;
  return claim_number_and_ceiling(e164);
}

Result<SmsRefusal> SmsBudget::claim_number_and_ceiling(std::string_view e164) {
  // Keyed hash: the table of counters does not list members' numbers.
  auto number = store_.take("sms:number:" + secrets_.digest("sms-number", e164), kDay, limits_.codes_per_number,
                            clock_.now());
  if (!number) return tl::unexpected(number.error());
  if (!*number) return SmsRefusal::NumberCap;
  auto all = store_.take("sms:daily", kDay, limits_.daily_ceiling, clock_.now());
  if (!all) return tl::unexpected(all.error());
  if (!*all) return SmsRefusal::DailyCeiling;
  return SmsRefusal::None;
}

}  // namespace portier
