#include <atomic>
#include <thread>
#include <vector>

#include "contract/backends.h"

namespace portier::contract {
namespace {

using namespace std::chrono_literals;

class RecoveryStoreContract : public StoreContract {
protected:
  FlowEnvelope make_flow(std::string id_hash) {
    FlowEnvelope f;
    f.id_hash = std::move(id_hash);
    f.kind = FlowKind::Recovery;
    f.state = "code_sent";
    f.created_at = clock_.now();
    f.expires_at = clock_.now() + 1h;
    return f;
  }
  OutboundMessage message(const Account& a, std::string kind = "recovery.password") {
    OutboundMessage m;
    m.recipient = a.email;
    m.account = a.id;
    m.kind = std::move(kind);
    m.subject = "s";
    m.body_text = "t";
    m.body_html = "<p>t</p>";
    m.created_at = clock_.now();
    m.next_attempt_at = clock_.now();
    return m;
  }
  TokenIssue issue(const Account& a, std::string link, std::string code) {
    TokenIssue i;
    i.account = a.id;
    i.tokens = {OneTimeToken{std::move(link), "recovery_link", a.id, clock_.now(), clock_.now() + 1h, std::nullopt},
                OneTimeToken{std::move(code), "recovery_code", a.id, clock_.now(), clock_.now() + 1h, std::nullopt}};
    i.message = message(a);
    return i;
  }
};
PORTIER_CONTRACT_SUITE(RecoveryStoreContract);

TEST_P(RecoveryStoreContract, SaveWritesFlowTokensAndMessageTogether) {
  auto a = create_account("mcurie");
  auto ids = recovery().save(make_flow("f1"), "", {issue(a, "L1", "C1")}, {});
  ASSERT_TRUE(ids) << ids.error().detail;
  EXPECT_EQ(ids->size(), 1u);
  EXPECT_TRUE(flows().find(FlowKind::Recovery, "f1"));
  auto link = recovery().find_token("L1");
  ASSERT_TRUE(link);
  EXPECT_EQ(link->purpose, "recovery_link");
  EXPECT_EQ(link->account, a.id);
  EXPECT_TRUE(link->is_usable(clock_.now()));
  auto queued = outbox().list_for_account(a.id, 10);
  ASSERT_TRUE(queued);
  ASSERT_EQ(queued->size(), 1u);
  EXPECT_EQ(queued->front().kind, "recovery.password");
}

TEST_P(RecoveryStoreContract, SaveIsAllOrNothing) {
  auto a = create_account("mcurie");
  ASSERT_TRUE(recovery().save(make_flow("f1"), "", {}, {}));
  // The same flow id again fails on the flow insert: no token, no message may remain.
  auto again = recovery().save(make_flow("f1"), "", {issue(a, "L2", "C2")}, {});
  ASSERT_FALSE(again);
  EXPECT_EQ(recovery().find_token("L2").error().code, ErrorCode::NotFound);
  EXPECT_TRUE(outbox().list_for_account(a.id, 10)->empty());
}

TEST_P(RecoveryStoreContract, ANewerIssueRevokesOlderTokens) {
  auto a = create_account("mcurie");
  ASSERT_TRUE(recovery().save(make_flow("f1"), "", {issue(a, "L1", "C1")}, {}));
  clock_.advance(2min);
  auto next = make_flow("f1");
  ASSERT_TRUE(recovery().save(next, "code_sent", {issue(a, "L2", "C2")}, {}));
  EXPECT_TRUE(recovery().find_token("L1")->used_at.has_value());
  EXPECT_TRUE(recovery().find_token("C1")->used_at.has_value());
  EXPECT_TRUE(recovery().find_token("L2")->is_usable(clock_.now()));
}

TEST_P(RecoveryStoreContract, SaveWithAStaleExpectedStateChangesNothing) {
  auto a = create_account("mcurie");
  ASSERT_TRUE(recovery().save(make_flow("f1"), "", {}, {}));
  auto r = recovery().save(make_flow("f1"), "locked", {issue(a, "L1", "C1")}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::FlowStateInvalid);
  EXPECT_EQ(recovery().find_token("L1").error().code, ErrorCode::NotFound);
}

TEST_P(RecoveryStoreContract, NoticesWithoutTokensAreQueued) {
  auto a = create_account("mcurie");
  auto ids = recovery().save(make_flow("f1"), "", {}, {message(a, "recovery.password_unknown")});
  ASSERT_TRUE(ids);
  EXPECT_EQ(ids->size(), 1u);
}

TEST_P(RecoveryStoreContract, CompleteResetChangesPasswordEndsSessionsAndSpendsEveryToken) {
  auto a = create_account("mcurie");
  ASSERT_TRUE(accounts().set_status(a.id, AccountStatus::Active));
  ASSERT_TRUE(accounts().set_password(a.id, "old-hash", clock_.now() + 72h));
  Session s;
  s.id_hash = "sess";
  s.account_id = a.id;
  s.created_at = s.last_seen_at = clock_.now();
  s.expires_at = clock_.now() + 1h;
  ASSERT_TRUE(sessions().create(s));
  ASSERT_TRUE(recovery().save(make_flow("f1"), "", {issue(a, "L1", "C1")}, {}));

  auto id = recovery().complete_reset("C1", a.id, "new-hash", clock_.now(), message(a, "password.changed"));
  ASSERT_TRUE(id) << id.error().detail;
  auto after = accounts().find_by_id(a.id);
  EXPECT_EQ(after->password_hash, "new-hash");
  EXPECT_FALSE(after->password_is_temporary) << "a reset replaces a temporary password for good";
  EXPECT_FALSE(after->password_expires_at);
  EXPECT_EQ(sessions().find("sess").error().code, ErrorCode::NotFound);
  EXPECT_TRUE(recovery().find_token("L1")->used_at.has_value()) << "the link of the same message dies with its code";
  EXPECT_EQ(outbox().list_for_account(a.id, 10)->size(), 2u);
}

TEST_P(RecoveryStoreContract, ATokenCompletesOneResetOnly) {
  auto a = create_account("mcurie");
  ASSERT_TRUE(recovery().save(make_flow("f1"), "", {issue(a, "L1", "C1")}, {}));
  ASSERT_TRUE(recovery().complete_reset("L1", a.id, "h1", clock_.now(), message(a, "password.changed")));
  auto again = recovery().complete_reset("L1", a.id, "h2", clock_.now(), message(a, "password.changed"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::FlowStateInvalid);
  EXPECT_EQ(accounts().find_by_id(a.id)->password_hash, "h1");
  EXPECT_EQ(outbox().list_for_account(a.id, 10)->size(), 2u) << "no second notice for a refused reset";
}

TEST_P(RecoveryStoreContract, ExpiredOrForeignTokensCompleteNothing) {
  auto a = create_account("mcurie");
  auto b = create_account("pcurie");
  ASSERT_TRUE(recovery().save(make_flow("f1"), "", {issue(a, "L1", "C1")}, {}));
  EXPECT_FALSE(recovery().complete_reset("L1", b.id, "h", clock_.now(), message(b, "password.changed")));
  clock_.advance(1h);
  EXPECT_FALSE(recovery().complete_reset("L1", a.id, "h", clock_.now(), message(a, "password.changed")));
  EXPECT_NE(accounts().find_by_id(a.id)->password_hash, "h");
}

TEST_P(RecoveryStoreContract, ParallelCompletionsOfOneTokenLetExactlyOneWin) {
  auto a = create_account("mcurie");
  ASSERT_TRUE(recovery().save(make_flow("f1"), "", {issue(a, "L1", "C1")}, {}));
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&, i] {
      if (recovery().complete_reset("L1", a.id, "h" + std::to_string(i), clock_.now(), message(a, "password.changed")))
        ++wins;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
}

TEST_P(RecoveryStoreContract, APasswordChangeRevokesPendingRecoveryTokens) {
  auto a = create_account("mcurie");
  ASSERT_TRUE(recovery().save(make_flow("f1"), "", {issue(a, "L1", "C1")}, {}));
  ASSERT_TRUE(accounts().set_password(a.id, "changed-in-mon-espace", std::nullopt));
  EXPECT_TRUE(recovery().find_token("L1")->used_at.has_value());
  EXPECT_TRUE(recovery().find_token("C1")->used_at.has_value());
}

TEST_P(RecoveryStoreContract, PurgeDeletesExpiredTokens) {
  auto a = create_account("mcurie");
  ASSERT_TRUE(recovery().save(make_flow("f1"), "", {issue(a, "L1", "C1")}, {}));
  EXPECT_EQ(recovery().purge_expired(clock_.now()), 0);
  clock_.advance(1h);
  EXPECT_EQ(recovery().purge_expired(clock_.now()), 2);
  EXPECT_EQ(recovery().find_token("L1").error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace portier::contract
