#include <atomic>
#include <thread>
#include <vector>

#include "contract/backends.h"

namespace portier::contract {
namespace {

using namespace std::chrono_literals;

class LockoutStoreContract : public StoreContract {
protected:
  LockoutRule timed(std::string key, std::optional<AccountId> account = std::nullopt) {
    return LockoutRule{std::move(key), account, 3, 1h};
  }
  LockoutRule ceiling(std::string key, std::optional<AccountId> account = std::nullopt) {
    return LockoutRule{std::move(key), account, 5, std::nullopt};
  }
  // One failed attempt: claim, then record the failure.
  Result<AttemptClaim> fail_once(const std::vector<LockoutRule>& rules) {
    auto c = lockouts().claim(rules, clock_.now());
    if (c && c->allowed) (void)lockouts().record_failure(rules, clock_.now());
    return c;
  }
};
PORTIER_CONTRACT_SUITE(LockoutStoreContract);

TEST_P(LockoutStoreContract, ThresholdSuspendsForThePeriod) {
  std::vector<LockoutRule> rules{timed("k")};
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(fail_once(rules)->allowed);
  ASSERT_TRUE(lockouts().claim(rules, clock_.now())->allowed);
  auto engaged = lockouts().record_failure(rules, clock_.now());
  ASSERT_TRUE(engaged);
  EXPECT_EQ(*engaged, std::vector<std::string>{"k"});
  auto refused = lockouts().claim(rules, clock_.now());
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->locked_until, clock_.now() + 1h);
  clock_.advance(1h);
  EXPECT_TRUE(lockouts().claim(rules, clock_.now())->allowed) << "the suspension ran out: counting starts again";
}

TEST_P(LockoutStoreContract, SuccessClearsAndRefusalsChangeNothing) {
  std::vector<LockoutRule> rules{timed("a"), ceiling("t")};
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(fail_once(rules)->allowed);
  ASSERT_TRUE(lockouts().claim(rules, clock_.now())->allowed);
  ASSERT_TRUE(lockouts().record_success({"a", "t"}));
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(fail_once(rules)->allowed);
}

TEST_P(LockoutStoreContract, TheCeilingLocksUntilCleared) {
  auto account = create_account("mcurie");
  std::vector<LockoutRule> rules{ceiling("t", account.id)};
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(fail_once(rules)->allowed);
  clock_.advance(24h * 30);
  auto refused = lockouts().claim(rules, clock_.now());
  EXPECT_FALSE(refused->allowed);
  EXPECT_TRUE(refused->until_reset);
  auto states = lockouts().for_account(account.id);
  ASSERT_EQ(states->size(), 1u);
  EXPECT_TRUE(states->front().until_reset);
  EXPECT_EQ(lockouts().purge(clock_.now()), 0) << "housekeeping never forgets a lock until reset";
  EXPECT_EQ(lockouts().clear_account(account.id), 1);
  EXPECT_TRUE(lockouts().claim(rules, clock_.now())->allowed);
}

TEST_P(LockoutStoreContract, ParallelClaimsNeverExceedTheThreshold) {
  std::vector<LockoutRule> rules{timed("busy")};
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i)
    threads.emplace_back([&] {
      auto c = lockouts().claim(rules, clock_.now());
      if (c && c->allowed) ++allowed;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 3);
}

TEST_P(LockoutStoreContract, OldFailuresAreNotConsecutive) {
  std::vector<LockoutRule> rules{timed("k")};
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(fail_once(rules)->allowed);
  clock_.advance(2h);
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(fail_once(rules)->allowed);
  EXPECT_TRUE(lockouts().claim(rules, clock_.now())->allowed) << "only two recent failures before this one";
}

TEST_P(LockoutStoreContract, ClearAccountForgetsOnlyThatAccount) {
  auto a = create_account("a1");
  auto b = create_account("b1");
  for (int i = 0; i < 3; ++i) (void)fail_once({timed("ka", a.id)});
  for (int i = 0; i < 3; ++i) (void)fail_once({timed("kb", b.id)});
  EXPECT_EQ(lockouts().clear_account(a.id), 1);
  EXPECT_TRUE(lockouts().claim({timed("ka", a.id)}, clock_.now())->allowed);
  EXPECT_FALSE(lockouts().claim({timed("kb", b.id)}, clock_.now())->allowed);
}

}  // namespace
}  // namespace portier::contract
