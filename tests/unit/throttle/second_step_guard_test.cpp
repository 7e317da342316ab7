// The second step's ceiling with a fake clock: suspensions that double, a
// ceiling that waiting does not lift, and the unlock (support or password
// reset) that does.
#include "throttle/second_step_guard.h"

#include <gtest/gtest.h>

#include "storage/stores/sql_lockout_store.h"
#include "support/service_parts.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

class SecondStepGuardTest : public ::testing::Test, protected testing_support::ServiceParts {
protected:
  storage::SqlLockoutStore store{s.db};
  SecondStepGuard guard{store, s.clock, SecondStepLimits{3, 1h, 10, 6}};
  AccountId kAccount = add_member("marie").id;

  // One wrong code; the suspension it engaged, if any. Fails the test when refused.
  std::optional<Suspension> wrong() {
    auto a = guard.begin(kAccount);
    EXPECT_TRUE(a);
    EXPECT_FALSE(a->refused) << "refused while it should be allowed";
    return *guard.failed(*a);
  }
  std::optional<Suspension> refused() { return guard.begin(kAccount)->refused; }
};

TEST_F(SecondStepGuardTest, SuspensionsDoubleWithEveryBlockOfWrongCodes) {
  EXPECT_EQ(guard.suspension_for(0), 1h);
  EXPECT_EQ(guard.suspension_for(2), 1h);
  EXPECT_EQ(guard.suspension_for(3), 2h);
  EXPECT_EQ(guard.suspension_for(6), 4h);
  EXPECT_EQ(guard.suspension_for(9), 8h);
  EXPECT_EQ(guard.suspension_for(1000), 64h) << "capped at max_doublings";
}

TEST_F(SecondStepGuardTest, WrongCodesSuspendForLongerEachTimeThenLockAtTheCeiling) {
  for (auto expected : {1h, 2h, 4h}) {
    EXPECT_FALSE(wrong());
    EXPECT_FALSE(wrong());
    auto engaged = wrong();
    ASSERT_TRUE(engaged);
    EXPECT_FALSE(engaged->until_reset);
    EXPECT_EQ(*engaged->until, s.clock.now() + expected);
    ASSERT_TRUE(refused()) << "suspended";
    s.clock.advance(expected - 1s);
    ASSERT_TRUE(refused()) << "still suspended one second before the end";
    s.clock.advance(1s);
  }
  // Nine wrong codes so far; the tenth reaches the ceiling.
  auto engaged = wrong();
  ASSERT_TRUE(engaged);
  EXPECT_TRUE(engaged->until_reset);
  s.clock.advance(24h * 30);
  auto still = refused();
  ASSERT_TRUE(still);
  EXPECT_TRUE(still->until_reset) << "waiting does not lift the ceiling";
  // Support's unlock and a password reset clear every counter of the account.
  ASSERT_TRUE(store.clear_account(kAccount));
  EXPECT_FALSE(wrong());
}

TEST_F(SecondStepGuardTest, ARightCodeStartsBothCountsAgain) {
  EXPECT_FALSE(wrong());
  EXPECT_FALSE(wrong());
  auto a = guard.begin(kAccount);
  ASSERT_TRUE(a && !a->refused);
  ASSERT_TRUE(guard.succeeded(*a));
  EXPECT_FALSE(wrong());
  EXPECT_FALSE(wrong());
  auto engaged = wrong();
  ASSERT_TRUE(engaged);
  EXPECT_EQ(*engaged->until, s.clock.now() + 1h) << "the first suspension again";
}

}  // namespace
}  // namespace portier
