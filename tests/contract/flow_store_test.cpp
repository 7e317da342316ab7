#include <atomic>
#include <thread>
#include <vector>

#include "contract/backends.h"

namespace portier::contract {
namespace {

using namespace std::chrono_literals;

class FlowStoreContract : public StoreContract {
protected:
  FlowEnvelope make_flow(std::string id_hash, FlowKind kind = FlowKind::SignIn, Seconds lifetime = 15min) {
    FlowEnvelope f;
    f.id_hash = std::move(id_hash);
    f.kind = kind;
    f.state = "awaiting_identifier";
    f.created_at = clock_.now();
    f.expires_at = clock_.now() + lifetime;
    return f;
  }
};
PORTIER_CONTRACT_SUITE(FlowStoreContract);

TEST_P(FlowStoreContract, CreateThenFindRoundTrips) {
  AccountId member = create_account("mcurie").id;
  FlowEnvelope f = make_flow("f1", FlowKind::Setup);
  f.account = member;
  f.attempts = 2;
  f.data = R"({"channel":"sms"})";
  ASSERT_TRUE(flows().create(f));

  auto found = flows().find(FlowKind::Setup, "f1");
  ASSERT_TRUE(found) << found.error().detail;
  EXPECT_EQ(found->id_hash, "f1");
  EXPECT_EQ(found->kind, FlowKind::Setup);
  EXPECT_EQ(found->state, "awaiting_identifier");
  EXPECT_EQ(found->account, member);
  EXPECT_EQ(found->created_at, f.created_at);
  EXPECT_EQ(found->expires_at, f.expires_at);
  EXPECT_EQ(found->attempts, 2);
  EXPECT_EQ(found->data, R"({"channel":"sms"})");
}

TEST_P(FlowStoreContract, DuplicateIdIsConflict) {
  ASSERT_TRUE(flows().create(make_flow("f1")));
  EXPECT_EQ(flows().create(make_flow("f1")).error().code, ErrorCode::Conflict);
}

TEST_P(FlowStoreContract, FindOfAnotherKindOrUnknownIdIsNotFound) {
  ASSERT_TRUE(flows().create(make_flow("f1", FlowKind::SignIn)));
  EXPECT_EQ(flows().find(FlowKind::Setup, "f1").error().code, ErrorCode::NotFound);
  EXPECT_EQ(flows().find(FlowKind::SignIn, "nope").error().code, ErrorCode::NotFound);
}

TEST_P(FlowStoreContract, TransitionSucceedsOnceThenIsFlowStateInvalid) {
  AccountId member = create_account("mcurie").id;
  ASSERT_TRUE(flows().create(make_flow("f1")));

  FlowEnvelope next = *flows().find(FlowKind::SignIn, "f1");
  next.state = "code_sent";
  next.account = member;
  next.attempts = 1;
  next.data = R"({"sent":true})";
  ASSERT_TRUE(flows().transition(next, "awaiting_identifier"));

  auto stored = flows().find(FlowKind::SignIn, "f1");
  EXPECT_EQ(stored->state, "code_sent");
  EXPECT_EQ(stored->account, member);
  EXPECT_EQ(stored->attempts, 1);
  EXPECT_EQ(stored->data, R"({"sent":true})");

  next.state = "completed";
  auto replay = flows().transition(next, "awaiting_identifier");
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().code, ErrorCode::FlowStateInvalid);
  EXPECT_EQ(flows().find(FlowKind::SignIn, "f1")->state, "code_sent");
}

TEST_P(FlowStoreContract, ATransitionNeverLowersTheAttempts) {
  ASSERT_TRUE(flows().create(make_flow("f1")));
  FlowEnvelope stale = *flows().find(FlowKind::SignIn, "f1");  // loaded with 0 attempts
  ASSERT_EQ(flows().count_attempt(FlowKind::SignIn, "f1", 5), 1);
  ASSERT_EQ(flows().count_attempt(FlowKind::SignIn, "f1", 5), 2);
  stale.state = "code_sent";
  ASSERT_TRUE(flows().transition(stale, "awaiting_identifier"));
  EXPECT_EQ(flows().find(FlowKind::SignIn, "f1")->attempts, 2) << "the wrong codes counted meanwhile stay counted";
  stale.attempts = 4;
  stale.state = "locked";
  ASSERT_TRUE(flows().transition(stale, "code_sent"));
  EXPECT_EQ(flows().find(FlowKind::SignIn, "f1")->attempts, 4) << "raising is allowed";
}

TEST_P(FlowStoreContract, TransitionOfAnUnknownFlowIsFlowStateInvalid) {
  EXPECT_EQ(flows().transition(make_flow("ghost"), "awaiting_identifier").error().code,
            ErrorCode::FlowStateInvalid);
}

TEST_P(FlowStoreContract, ConcurrentTransitionsFromOneStateLetExactlyOneWin) {
  ASSERT_TRUE(flows().create(make_flow("f1")));
  constexpr int kThreads = 8;
  std::atomic<int> won{0}, lost{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      FlowEnvelope next = make_flow("f1");
      next.state = "completed_by_" + std::to_string(i);
      while (!go) std::this_thread::yield();
      auto r = flows().transition(next, "awaiting_identifier");
      if (r) ++won;
      else if (r.error().code == ErrorCode::FlowStateInvalid) ++lost;
      else ++other;
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(lost, kThreads - 1);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(flows().find(FlowKind::SignIn, "f1")->state.rfind("completed_by_", 0), 0u);
}

TEST_P(FlowStoreContract, DeleteKindLeavesOtherKinds) {
  ASSERT_TRUE(flows().create(make_flow("s1", FlowKind::Setup)));
  ASSERT_TRUE(flows().create(make_flow("s2", FlowKind::Setup)));
  ASSERT_TRUE(flows().create(make_flow("i1", FlowKind::SignIn)));
  EXPECT_EQ(*flows().delete_kind(FlowKind::Setup), 2);
  EXPECT_FALSE(flows().find(FlowKind::Setup, "s1"));
  EXPECT_TRUE(flows().find(FlowKind::SignIn, "i1"));
}

TEST_P(FlowStoreContract, PurgeExpiredRemovesFlowsAtOrPastExpiry) {
  ASSERT_TRUE(flows().create(make_flow("short", FlowKind::SignIn, 10min)));
  ASSERT_TRUE(flows().create(make_flow("long", FlowKind::SignIn, 1h)));
  clock_.advance(10min);
  EXPECT_EQ(*flows().purge_expired(clock_.now()), 1);
  EXPECT_FALSE(flows().find(FlowKind::SignIn, "short"));
  EXPECT_TRUE(flows().find(FlowKind::SignIn, "long"));
}

}  // namespace
}  // namespace portier::contract
