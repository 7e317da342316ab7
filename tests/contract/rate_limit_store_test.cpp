#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "contract/backends.h"

namespace portier::contract {
namespace {

using namespace std::chrono_literals;

class RateLimitStoreContract : public StoreContract {};
PORTIER_CONTRACT_SUITE(RateLimitStoreContract);

TEST_P(RateLimitStoreContract, CountsHitsWithinTheWindow) {
  EXPECT_EQ(rate_limits().hit("k", 1h, clock_.now()), 1);
  clock_.advance(10min);
  EXPECT_EQ(rate_limits().hit("k", 1h, clock_.now()), 2);
  EXPECT_EQ(rate_limits().hit("other", 1h, clock_.now()), 1);
  EXPECT_EQ(rate_limits().hit("k", 1h, clock_.now()), 3);
}

TEST_P(RateLimitStoreContract, StartsANewWindowOnceTheOldOneIsOver) {
  auto start = clock_.now();
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(rate_limits().hit("k", 1h, start));
  clock_.set(start + 59min);
  EXPECT_EQ(rate_limits().hit("k", 1h, clock_.now()), 5);
  clock_.set(start + 1h);
  EXPECT_EQ(rate_limits().hit("k", 1h, clock_.now()), 1) << "the window that started at `start` is over";
  clock_.advance(30min);
  EXPECT_EQ(rate_limits().hit("k", 1h, clock_.now()), 2) << "the new window started at start + 1h";
}

TEST_P(RateLimitStoreContract, ParallelHitsEachSeeADistinctCount) {
  constexpr int kThreads = 8, kPerThread = 10;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::multiset<int> seen;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        auto n = rate_limits().hit("busy", 1h, clock_.now());
        std::lock_guard lock(mutex);
        seen.insert(n ? *n : -1);
      }
    });
  for (auto& t : threads) t.join();
  std::multiset<int> expected;
  for (int i = 1; i <= kThreads * kPerThread; ++i) expected.insert(i);
  EXPECT_EQ(seen, expected);
}

TEST_P(RateLimitStoreContract, TakeCountsOnlyWhileThereIsRoom) {
  auto start = clock_.now();
  auto take = [&](int max, TimePoint at) {
    auto t = rate_limits().take("t", 1h, max, at);
    EXPECT_TRUE(t);
    return t ? *t : std::optional<int>(-1);
  };
  EXPECT_EQ(take(2, start), std::optional<int>(1));
  EXPECT_EQ(take(2, start), std::optional<int>(2));
  EXPECT_EQ(take(2, start), std::nullopt) << "full: refused";
  EXPECT_EQ(rate_limits().peek("t", 1h, start), 2) << "a refused take counts nothing";
  EXPECT_EQ(take(0, start), std::nullopt) << "a limit of 0 refuses everything";
  EXPECT_EQ(take(2, start + 1h), std::optional<int>(1)) << "a new window";
}

TEST_P(RateLimitStoreContract, ParallelTakesNeverGoPastTheMaximum) {
  constexpr int kThreads = 8, kPerThread = 10, kMax = 13;
  std::vector<std::thread> threads;
  std::atomic<int> granted{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        auto n = rate_limits().take("busy", 1h, kMax, clock_.now());
        if (n && *n) ++granted;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted.load(), kMax);
  EXPECT_EQ(rate_limits().peek("busy", 1h, clock_.now()), kMax);
}

TEST_P(RateLimitStoreContract, PurgeForgetsOldWindows) {
  auto start = clock_.now();
  ASSERT_TRUE(rate_limits().hit("old", 1h, start));
  ASSERT_TRUE(rate_limits().hit("new", 1h, start + 2h));
  EXPECT_EQ(rate_limits().purge(start + 1h), 1);
  EXPECT_EQ(rate_limits().hit("new", 1h, start + 2h), 2);
  EXPECT_EQ(rate_limits().hit("old", 1h, start + 2h), 1);
}

}  // namespace
}  // namespace portier::contract
