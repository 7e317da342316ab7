#include "throttle/client_throttle.h"

#include <gtest/gtest.h>

#include "storage/stores/sql_rate_limit_store.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

TEST(ClientThrottleTest, RobotCheckAfterTheFreeFailuresThenDoublingDelaysUpToTheCap) {
  testing_support::SqliteStores s;
  storage::SqlRateLimitStore limits{s.db};
  ClientThrottle throttle{limits, s.clock, ClientThrottleSettings{3, 1h, 250ms, 2000ms}};
  auto fresh = throttle.assess("203.0.113.9");
  ASSERT_TRUE(fresh);
  EXPECT_FALSE(fresh->needs_robot_check);
  EXPECT_EQ(fresh->delay, 0ms);
  std::vector<std::chrono::milliseconds> delays;
  for (int i = 0; i < 7; ++i) delays.push_back(throttle.failed("203.0.113.9")->delay);
  EXPECT_EQ(delays, (std::vector<std::chrono::milliseconds>{0ms, 0ms, 250ms, 500ms, 1000ms, 2000ms, 2000ms}));
  EXPECT_TRUE(throttle.assess("203.0.113.9")->needs_robot_check);
  EXPECT_FALSE(throttle.assess("198.51.100.1")->needs_robot_check) << "other addresses are not affected";
  s.clock.advance(1h);
  EXPECT_FALSE(throttle.assess("203.0.113.9")->needs_robot_check) << "the window is over";
}

TEST(ClientThrottleTest, BackOffStartsAtTwoSecondsAndStaysInsideTheHeldAnswer) {
  testing_support::SqliteStores s;
  storage::SqlRateLimitStore limits{s.db};
  ClientThrottle throttle{limits, s.clock, ClientThrottleSettings{1, 1h, 500ms, 4000ms}};
  const char* ip = "203.0.113.9";
  EXPECT_EQ(throttle.failed(ip)->delay, 500ms);
  EXPECT_EQ(throttle.assess(ip)->backoff, 0s) << "under 2 s, the held answer is all";
  EXPECT_EQ(throttle.failed(ip)->delay, 1000ms);
  EXPECT_EQ(throttle.assess(ip)->backoff, 0s);
  EXPECT_EQ(throttle.failed(ip)->delay, 2000ms);
  EXPECT_EQ(throttle.assess(ip)->backoff, 1s) << "one second less than the answer is held";
  s.clock.advance(1s);
  EXPECT_EQ(throttle.assess(ip)->backoff, 0s) << "a client that waited for its answer is not in back-off";
  EXPECT_EQ(throttle.failed(ip)->delay, 4000ms);
  EXPECT_EQ(throttle.assess(ip)->backoff, 3s);
  EXPECT_EQ(throttle.assess("198.51.100.1")->backoff, 0s) << "other addresses are not affected";
  s.clock.advance(3s);
  EXPECT_EQ(throttle.assess(ip)->backoff, 0s);
  EXPECT_EQ(throttle.failed(ip)->delay, 4000ms) << "at the cap";
  EXPECT_EQ(throttle.assess(ip)->backoff, 3s) << "the cap's key starts a new back-off";
}

}  // namespace
}  // namespace portier
