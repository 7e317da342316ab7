#include "throttle/sms_budget.h"

#include <gtest/gtest.h>

#include "config/sms_config.h"
#include "storage/stores/sql_rate_limit_store.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

class SmsBudgetTest : public ::testing::Test {
protected:
  testing_support::SqliteStores s;  // FakeClock
  storage::SqlRateLimitStore limits{s.db};
  SecretHasher secrets{std::string(32, 'k')};
  SmsBudget budget{limits, secrets, s.clock, SmsLimits{3, 2, 5, 1, kDefaultSmsPrefixes}};
};

TEST(SmsPrefixTest, FranceAndOverseasOnly) {
  for (const char* ok : {"+33612345678", "+262692123456", "+262639123456", "+590690123456", "+594694123456",
                         "+596696123456", "+508551234", "+687751234", "+689871234"})
    EXPECT_TRUE(sms_destination_allowed(ok, kDefaultSmsPrefixes)) << ok;
  for (const char* refused : {"+269321234" /* Comoros */, "+447911123456", "+3212345678", "+1268555010",
                              "+33", "33612345678", ""})
    EXPECT_FALSE(sms_destination_allowed(refused, kDefaultSmsPrefixes)) << refused;
  EXPECT_TRUE(sms_destination_allowed("+33612345678", {"+336", "+337"})) << "prefixes can be narrowed to mobiles";
  EXPECT_FALSE(sms_destination_allowed("+33899123456", {"+336", "+337"}));
}

TEST_F(SmsBudgetTest, AForeignNumberIsRefusedAndCountsNothing) {
  EXPECT_EQ(budget.claim_verification(1, "+447911123456", true), SmsRefusal::Prefix);
  EXPECT_EQ(budget.claim_code("+447911123456"), SmsRefusal::Prefix);
  EXPECT_FALSE(*budget.needs_robot_check(1));
}

TEST_F(SmsBudgetTest, TheRobotCheckIsAskedPastTheFirstCodesOfTheDay) {
  EXPECT_FALSE(*budget.needs_robot_check(1));
  EXPECT_EQ(budget.claim_verification(1, "+33611111111", false), SmsRefusal::None);
  EXPECT_TRUE(*budget.needs_robot_check(1));
  EXPECT_EQ(budget.claim_verification(1, "+33622222222", false), SmsRefusal::RobotCheck);
  EXPECT_EQ(budget.claim_verification(1, "+33622222222", true), SmsRefusal::None) << "with the robot check";
  EXPECT_FALSE(*budget.needs_robot_check(2)) << "another account is not affected";
  s.clock.advance(24h);
  EXPECT_FALSE(*budget.needs_robot_check(1)) << "a new day";
}

TEST_F(SmsBudgetTest, CapsPerAccountPerNumberAndADailyCeiling) {
  // Per account: 3 a day, whatever the numbers.
  EXPECT_EQ(budget.claim_verification(1, "+33600000001", true), SmsRefusal::None);
  EXPECT_EQ(budget.claim_verification(1, "+33600000002", true), SmsRefusal::None);
  EXPECT_EQ(budget.claim_verification(1, "+33600000003", true), SmsRefusal::None);
  EXPECT_EQ(budget.claim_verification(1, "+33600000004", true), SmsRefusal::AccountCap);
  // Per number: 2 a day, whichever account asks, sign-in codes included.
  EXPECT_EQ(budget.claim_verification(2, "+33600000001", true), SmsRefusal::None);
  EXPECT_EQ(budget.claim_code("+33600000001"), SmsRefusal::NumberCap);
  EXPECT_EQ(budget.claim_verification(3, "+33600000001", true), SmsRefusal::NumberCap);
  // The service: 5 a day in all (4 sent so far).
  EXPECT_EQ(budget.claim_code("+33600000009"), SmsRefusal::None);
  EXPECT_EQ(budget.claim_code("+33600000008"), SmsRefusal::DailyCeiling);
  EXPECT_EQ(budget.claim_verification(4, "+33600000007", true), SmsRefusal::DailyCeiling);
  s.clock.advance(24h);
  EXPECT_EQ(budget.claim_verification(1, "+33600000004", true), SmsRefusal::None) << "the next day";
  EXPECT_EQ(budget.claim_code("+33600000001"), SmsRefusal::None);
}

}  // namespace
}  // namespace portier

namespace portier {
namespace {

TEST(SmsLimitsConfig, PrefixesMustBeE164AndAtLeastOne) {
  SmsConfig c;
  std::vector<std::string> p;
  validate_sms_config(c, p);
  EXPECT_TRUE(p.empty()) << testing::PrintToString(p) << " (the defaults are valid)";
  c.allowed_prefixes = {"33", "+0", "+33 6", "+1234567"};
  validate_sms_config(c, p);
  EXPECT_EQ(p.size(), 4u) << testing::PrintToString(p);
  p.clear();
  c.allowed_prefixes = {};
  validate_sms_config(c, p);
  EXPECT_EQ(p.size(), 1u) << testing::PrintToString(p);
  auto limits = sms_limits(SmsConfig{});
  EXPECT_EQ(limits.allowed_prefixes, kDefaultSmsPrefixes);
  EXPECT_EQ(limits.verification_codes_per_account, 5);
  EXPECT_EQ(limits.codes_per_number, 10);
  EXPECT_EQ(limits.daily_ceiling, 1000);
  EXPECT_EQ(limits.robot_check_after, 2);
}

}  // namespace
}  // namespace portier
