#include "flow/sign_in/suspension_notifier.h"

#include <gtest/gtest.h>

#include "storage/stores/sql_rate_limit_store.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

TEST(SuspensionNotifierTest, AtMostOneNoticeADayPerAccountButALockIsAlwaysTold) {
  testing_support::SqliteStores s;  // FakeClock
  storage::SqlRateLimitStore limits{s.db};
  RateLimiter limiter{limits, s.clock};
  std::vector<std::pair<AccountId, bool>> sent;
  SuspensionNotifier notifier{limiter, [&](const Account& a, const Suspension& sus) {
                                sent.emplace_back(a.id, sus.until_reset);
                              }};
  Account marie, paul;
  marie.id = 1;
  paul.id = 2;
  Suspension timed{s.clock.now() + 1h, false};
  EXPECT_TRUE(notifier.notify(marie, timed));
  s.clock.advance(61min);
  EXPECT_FALSE(notifier.notify(marie, timed)) << "a second suspension the same day: no second mail";
  EXPECT_TRUE(notifier.notify(paul, timed)) << "per account";
  EXPECT_TRUE(notifier.notify(marie, Suspension{std::nullopt, true})) << "the lock until reset is always told";
  s.clock.advance(23h);
  EXPECT_TRUE(notifier.notify(marie, timed)) << "the next day";
  EXPECT_EQ(sent.size(), 4u);
}

}  // namespace
}  // namespace portier
