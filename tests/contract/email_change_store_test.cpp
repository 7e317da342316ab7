#include <atomic>
#include <thread>
#include <vector>

#include "contract/backends.h"

namespace portier::contract {
namespace {

using namespace std::chrono_literals;

class EmailChangeStoreContract : public StoreContract {
protected:
  FlowEnvelope make_flow(const Account& a, std::string id_hash = "ec1") {
    FlowEnvelope f;
    f.id_hash = std::move(id_hash);
    f.kind = FlowKind::EmailChange;
    f.state = "pending";
    f.account = a.id;
    f.created_at = clock_.now();
    f.expires_at = clock_.now() + 24h;
    return f;
  }
  OneTimeToken token(const Account& a, std::string hash, const char* purpose) {
    return OneTimeToken{std::move(hash), purpose, a.id, clock_.now(), clock_.now() + 24h, std::nullopt};
  }
  OutboundMessage message(const Account& a, std::string to, std::string kind) {
    OutboundMessage m;
    m.recipient = std::move(to);
    m.account = a.id;
    m.kind = std::move(kind);
    m.subject = "s";
    m.body_text = "t";
    m.body_html = "<p>t</p>";
    m.created_at = clock_.now();
    m.next_attempt_at = clock_.now();
    return m;
  }
  Result<void> start(const Account& a, const std::string& suffix) {
    return email_change().start(make_flow(a),
                                {token(a, "L" + suffix, kEmailChangeLink), token(a, "C" + suffix, kEmailChangeCode),
                                 token(a, "X" + suffix, kEmailChangeCancel)},
                                {message(a, "new@example.org", "email_change.confirm"),
                                 message(a, a.email, "email_change.requested")});
  }
  FlowEnvelope completed(const Account& a) {
    auto f = make_flow(a);
    f.state = "completed";
    return f;
  }
  int session(const Account& a, const std::string& hash) {
    Session s;
    s.id_hash = hash;
    s.account_id = a.id;
    s.created_at = clock_.now();
    s.last_seen_at = clock_.now();
    s.expires_at = clock_.now() + 1h;
    return sessions().create(s) ? 1 : 0;
  }
};
PORTIER_CONTRACT_SUITE(EmailChangeStoreContract);

TEST_P(EmailChangeStoreContract, StartWritesFlowTokensAndBothMessagesTogether) {
  auto a = create_account("mcurie", "old@example.org");
  ASSERT_TRUE(start(a, "1"));
  EXPECT_EQ(flows().find(FlowKind::EmailChange, "ec1")->state, "pending");
  EXPECT_EQ(email_change().find_token("L1")->purpose, kEmailChangeLink);
  EXPECT_EQ(email_change().find_token("X1")->purpose, kEmailChangeCancel);
  auto queued = outbox().list(10, 0);
  ASSERT_EQ(queued->size(), 2u);
  EXPECT_EQ(accounts().find_by_id(a.id)->email, "old@example.org") << "nothing changes at the request";
}

TEST_P(EmailChangeStoreContract, ANewerStartReplacesTheFlowAndRevokesTheOlderTokens) {
  auto a = create_account("mcurie", "old@example.org");
  ASSERT_TRUE(start(a, "1"));
  ASSERT_TRUE(flows().count_attempt(FlowKind::EmailChange, "ec1", 5));
  clock_.advance(5min);
  ASSERT_TRUE(start(a, "2"));
  EXPECT_TRUE(email_change().find_token("L1")->used_at);
  EXPECT_TRUE(email_change().find_token("X1")->used_at);
  EXPECT_FALSE(email_change().find_token("L2")->used_at);
  EXPECT_EQ(flows().find(FlowKind::EmailChange, "ec1")->attempts, 0) << "a new request starts its own tries";
}

TEST_P(EmailChangeStoreContract, CompleteSwitchesOnceRevokesRecoveryTokensAndEndsOtherSessions) {
  auto a = create_account("mcurie", "old@example.org");
  ASSERT_TRUE(recovery().save([&] {
    FlowEnvelope f;
    f.id_hash = "r1";
    f.kind = FlowKind::Recovery;
    f.state = "code_sent";
    f.created_at = clock_.now();
    f.expires_at = clock_.now() + 1h;
    return f;
  }(), "", {TokenIssue{a.id, {token(a, "R1", "recovery_link")}, message(a, a.email, "recovery.password")}}, {}));
  ASSERT_TRUE(start(a, "1"));
  ASSERT_EQ(session(a, "keep") + session(a, "other"), 2);
  auto ended = email_change().complete(completed(a), "pending", "C1", "new@example.org", "keep", clock_.now(),
                                       {message(a, "old@example.org", "email_change.done")});
  ASSERT_TRUE(ended) << ended.error().detail;
  EXPECT_EQ(*ended, 1);
  EXPECT_EQ(accounts().find_by_id(a.id)->email, "new@example.org");
  EXPECT_TRUE(email_change().find_token("R1")->used_at) << "the reset link mailed to the old address is dead";
  EXPECT_TRUE(email_change().find_token("L1")->used_at);
  EXPECT_TRUE(sessions().find("keep"));
  EXPECT_FALSE(sessions().find("other"));
  EXPECT_EQ(flows().find(FlowKind::EmailChange, "ec1")->state, "completed");
  auto again = email_change().complete(completed(a), "pending", "L1", "x@example.org", "", clock_.now(), {});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::FlowStateInvalid);
  EXPECT_EQ(accounts().find_by_id(a.id)->email, "new@example.org");
}

TEST_P(EmailChangeStoreContract, AnExpiredTokenCompletesNothing) {
  auto a = create_account("mcurie", "old@example.org");
  ASSERT_TRUE(start(a, "1"));
  clock_.advance(24h);
  auto r = email_change().complete(completed(a), "pending", "C1", "new@example.org", "", clock_.now(), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::FlowStateInvalid);
  EXPECT_EQ(accounts().find_by_id(a.id)->email, "old@example.org");
}

TEST_P(EmailChangeStoreContract, CancelSpendsTheCancelLinkAndRevokesTheChange) {
  auto a = create_account("mcurie", "old@example.org");
  ASSERT_TRUE(start(a, "1"));
  auto cancelled = make_flow(a);
  cancelled.state = "cancelled";
  ASSERT_TRUE(email_change().cancel(cancelled, "pending", "X1", clock_.now()));
  EXPECT_TRUE(email_change().find_token("L1")->used_at);
  EXPECT_TRUE(email_change().find_token("C1")->used_at);
  auto late = email_change().complete(completed(a), "pending", "C1", "new@example.org", "", clock_.now(), {});
  EXPECT_FALSE(late);
  EXPECT_EQ(accounts().find_by_id(a.id)->email, "old@example.org");
  EXPECT_FALSE(email_change().cancel(cancelled, "pending", "X1", clock_.now())) << "single use";
}

TEST_P(EmailChangeStoreContract, OfTwoRacingConfirmationsOneWins) {
  auto a = create_account("mcurie", "old@example.org");
  ASSERT_TRUE(start(a, "1"));
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (const char* t : {"L1", "C1", "L1", "C1"})
    threads.emplace_back([&, t] {
      if (email_change().complete(completed(a), "pending", t, "new@example.org", "", clock_.now(), {})) ++wins;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
}

}  // namespace
}  // namespace portier::contract
