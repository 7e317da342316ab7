#include "http/log_limiter.h"

#include <gtest/gtest.h>

namespace portier::http {
namespace {

using namespace std::chrono_literals;
using Clock = LogLimiter::Clock;

TEST(LogLimiterTest, OneLinePerAddressPerIntervalCarryingTheCountHeldBack) {
  LogLimiter limiter(60s);
  auto t0 = Clock::time_point{} + 1000s;
  EXPECT_EQ(limiter.allow("192.0.2.1", t0), 0);
  for (int i = 0; i < 500; ++i) EXPECT_FALSE(limiter.allow("192.0.2.1", t0 + 1s));
  EXPECT_EQ(limiter.allow("192.0.2.2", t0 + 2s), 0) << "another address has its own line";
  EXPECT_FALSE(limiter.allow("192.0.2.1", t0 + 59s));
  EXPECT_EQ(limiter.allow("192.0.2.1", t0 + 60s), 501) << "the next line says how many were held back";
  EXPECT_FALSE(limiter.allow("192.0.2.1", t0 + 61s));
}

TEST(LogLimiterTest, ManyAddressesShareOneLineOnceTheTableIsFull) {
  LogLimiter limiter(60s, /*max_keys=*/4);
  auto t0 = Clock::time_point{} + 1000s;
  for (int i = 0; i < 4; ++i) EXPECT_EQ(limiter.allow("10.0.0." + std::to_string(i), t0), 0);
  // A botnet: thousands of addresses write one line per interval in all.
  int written = 0;
  for (int i = 4; i < 5000; ++i)
    if (limiter.allow("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), t0 + 1s)) ++written;
  EXPECT_EQ(written, 1);
  // Once the interval is over, old entries are forgotten and addresses get their own line again.
  EXPECT_EQ(limiter.allow("10.9.9.9", t0 + 70s), 0);
}

}  // namespace
}  // namespace portier::http
