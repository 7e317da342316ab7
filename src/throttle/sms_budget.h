#pragma once
// Keeps SMS from being pumped: a script (or a stolen session) that asks the
// portal to text codes to many numbers, often premium or foreign numbers
// whose operator shares the fees, costs the network money and floods
// strangers. Every code texted is claimed here first:
//   - only to numbers under the configured country prefixes;
//   - per account and day, for numbers being added (Mon espace), with the
//     robot check asked past the first few;
//   - per destination number and day, whatever the flow;
//   - a daily ceiling for the whole service.
// Counts in the database (throttle/rate_limit_store.h), with take(): a
// refused claim counts nothing, and parallel claims cannot pass a cap.
// Knows nothing of pages; never texts anything itself.
#include <string>
#include <vector>

#include "account/account.h"
#include "common/secret_hasher.h"
#include "throttle/rate_limit_store.h"

namespace portier {

// France and the overseas departments and collectivities that have their
// own country code (+262 also covers Mayotte; +269 is the Comoros).
inline const std::vector<std::string> kDefaultSmsPrefixes{"+33",  "+262", "+508", "+590",
                                                           "+594", "+596", "+687", "+689"};

struct SmsLimits {
  int verification_codes_per_account = 5;  // per day: codes to numbers being added
  int codes_per_number = 10;               // per day: every code texted to one number
  int daily_ceiling = 1000;                // per day: every code texted by the service
  int robot_check_after = 2;               // verification codes per account and day before the robot check
  std::vector<std::string> allowed_prefixes = kDefaultSmsPrefixes;
};

// Whether `e164` ("+33612345678") starts with one of `prefixes`.
bool sms_destination_allowed(std::string_view e164, const std::vector<std::string>& prefixes);

enum class SmsRefusal {
  None,           // claimed: send it
  Prefix,         // the number is outside the allowed prefixes
  RobotCheck,     // the account must pass the robot check first
  AccountCap,     // the account asked for too many codes today
  NumberCap,      // this number received too many codes today
  DailyCeiling,   // the service texted its daily ceiling
};
const char* to_string(SmsRefusal r);

class SmsBudget {
public:
  SmsBudget(RateLimitStore& store, const SecretHasher& secrets, const Clock& clock, SmsLimits limits);

  bool destination_allowed(std::string_view e164) const;
  // Whether the next verification code for this account needs the robot check.
  Result<bool> needs_robot_check(AccountId account);
  // A code to a number being added to `account`. `robot_passed`: the form's
  // robot check passed in this request.
  Result<SmsRefusal> claim_verification(AccountId account, std::string_view e164, bool robot_passed);
  // A code to an account's own verified number (the second step).
  Result<SmsRefusal> claim_code(std::string_view e164);
  const SmsLimits& limits() const { return limits_; }

private:
  Result<SmsRefusal> claim_number_and_ceiling(std::string_view e164);
  std::string account_key(AccountId account) const;

  RateLimitStore& store_;
  const SecretHasher& secrets_;
  const Clock& clock_;
  SmsLimits limits_;
};

}  // namespace portier
