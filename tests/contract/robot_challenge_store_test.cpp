#include <atomic>
#include <thread>
#include <vector>

#include "contract/backends.h"

namespace portier::contract {
namespace {

using namespace std::chrono_literals;

class RobotChallengeStoreContract : public StoreContract {};
PORTIER_CONTRACT_SUITE(RobotChallengeStoreContract);

TEST_P(RobotChallengeStoreContract, FirstSpendWinsSecondIsAReplay) {
  auto first = robot_challenges().spend("c1", clock_.now() + 20min);
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_TRUE(*first);
  auto again = robot_challenges().spend("c1", clock_.now() + 20min);
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_FALSE(*again);
  auto other = robot_challenges().spend("c2", clock_.now() + 20min);
  ASSERT_TRUE(other);
  EXPECT_TRUE(*other);
}

TEST_P(RobotChallengeStoreContract, ConcurrentSpendsOfOneChallengeLetExactlyOneWin) {
  constexpr int kThreads = 8;
  std::atomic<bool> go{false};
  std::atomic<int> won{0}, lost{0}, failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      while (!go) std::this_thread::yield();
      auto r = robot_challenges().spend("race", clock_.now() + 20min);
      if (!r) ++failed;
      else if (*r) ++won;
      else ++lost;
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(lost, kThreads - 1);
  EXPECT_EQ(failed, 0);
}

TEST_P(RobotChallengeStoreContract, PurgeForgetsOnlyExpiredChallenges) {
  ASSERT_TRUE(robot_challenges().spend("old", clock_.now() + 1min));
  ASSERT_TRUE(robot_challenges().spend("young", clock_.now() + 30min));
  clock_.advance(1min);
  auto purged = robot_challenges().purge_expired(clock_.now());
  ASSERT_TRUE(purged) << purged.error().detail;
  EXPECT_EQ(*purged, 1);
  // The young one is still remembered, the old one may be spent again.
  EXPECT_FALSE(*robot_challenges().spend("young", clock_.now() + 30min));
  EXPECT_TRUE(*robot_challenges().spend("old", clock_.now() + 30min));
}

}  // namespace
}  // namespace portier::contract
