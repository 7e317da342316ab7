#include "session/session_service.h"

#include <gtest/gtest.h>

#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

class SessionServiceTest : public ::testing::Test {
protected:
  testing_support::SqliteStores s;
  SecretHasher secrets{std::string(32, 'k')};
  SodiumRandom random;
  SessionService sessions{*s.sessions, secrets, random, s.clock, SessionPolicy{30min, 12h}};
  AccountId account = 0;

  void SetUp() override {
    Account a;
    a.identifier = "marie";
    a.email = "marie@example.org";
    a.display_name = "Marie";
    account = s.accounts->create(a)->id;
  }
};

TEST_F(SessionServiceTest, TokenIsNotStoredInClear) {
  auto issued = sessions.start(account, {"10.0.0.1", "ua"});
  ASSERT_TRUE(issued);
  EXPECT_GE(issued->token.size(), 43u);  // 256 bits, base64url
  EXPECT_NE(issued->session.id_hash, issued->token);
  EXPECT_FALSE(s.sessions->find(issued->token));
  EXPECT_TRUE(s.sessions->find(issued->session.id_hash));
}

TEST_F(SessionServiceTest, RenewGivesANewTokenAndKeepsTheAbsoluteLimit) {
  auto issued = sessions.start(account, {"10.0.0.1", "ua"}, "pwd+app");
  s.clock.advance(20min);
  auto renewed = sessions.renew(issued->token);
  ASSERT_TRUE(renewed);
  EXPECT_NE(*renewed, issued->token);
  EXPECT_EQ(sessions.resume(issued->token).error().code, ErrorCode::NotFound);
  auto resumed = sessions.resume(*renewed);
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->auth_methods, "pwd+app");
  EXPECT_EQ(resumed->created_at, issued->session.created_at);
  // Renewing is not a new sign-in: the 12-hour limit still counts from the start.
  for (int i = 1; i < 28; ++i) {  // 20 min + 27 * 25 min = 11h35
    s.clock.advance(25min);
    ASSERT_TRUE(sessions.resume(*renewed)) << "step " << i;
  }
  s.clock.advance(25min);  // 12h00 since the sign-in
  EXPECT_EQ(sessions.resume(*renewed).error().code, ErrorCode::Expired);
  EXPECT_FALSE(sessions.renew(issued->token));
}

TEST_F(SessionServiceTest, AnAppProvedLaterCountsLikeAnAppSecondStep) {
  auto issued = sessions.start(account, {"10.0.0.1", "ua"}, "pwd+email");
  ASSERT_TRUE(sessions.record_app_proof(issued->token));
  auto renewed = sessions.renew(issued->token);
  ASSERT_TRUE(renewed);
  EXPECT_EQ(sessions.resume(*renewed)->auth_methods, "pwd+app");
  // A session that is gone cannot be upgraded.
  EXPECT_EQ(sessions.record_app_proof(issued->token).error().code, ErrorCode::NotFound);
  EXPECT_FALSE(sessions.record_app_proof(""));
}

TEST_F(SessionServiceTest, ResumesWhileActive) {
  auto issued = sessions.start(account, {});
  s.clock.advance(29min);
  auto resumed = sessions.resume(issued->token);
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->account_id, account);
}

TEST_F(SessionServiceTest, ExpiresAfterIdleTimeout) {
  auto issued = sessions.start(account, {});
  s.clock.advance(30min);
  auto resumed = sessions.resume(issued->token);
  ASSERT_FALSE(resumed);
  EXPECT_EQ(resumed.error().code, ErrorCode::Expired);
  // Deleted on sight: it stays gone even if time went backwards.
  EXPECT_FALSE(s.sessions->find(issued->session.id_hash));
}

TEST_F(SessionServiceTest, ActivityExtendsIdleButNotAbsoluteLimit) {
  auto issued = sessions.start(account, {});
  for (int i = 0; i < 23; ++i) {  // 23 * 25 min = 9h35 of activity
    s.clock.advance(25min);
    ASSERT_TRUE(sessions.resume(issued->token)) << "step " << i;
  }
  s.clock.advance(25min * 6);  // past 12 h even though never idle for 30 min
  for (int i = 0; i < 1; ++i) EXPECT_FALSE(sessions.resume(issued->token));
}

TEST_F(SessionServiceTest, AbsoluteLimitHoldsWithContinuousActivity) {
  auto issued = sessions.start(account, {});
  for (int i = 0; i < 47; ++i) {
    s.clock.advance(15min);
    ASSERT_TRUE(sessions.resume(issued->token)) << "step " << i;
  }
  s.clock.advance(15min);  // 48 * 15 min = 12 h
  EXPECT_FALSE(sessions.resume(issued->token));
}

TEST_F(SessionServiceTest, EndRevokesAndUnknownTokensAreRejected) {
  auto issued = sessions.start(account, {});
  ASSERT_TRUE(sessions.end(issued->token));
  EXPECT_FALSE(sessions.resume(issued->token));
  EXPECT_FALSE(sessions.resume(""));
  EXPECT_FALSE(sessions.resume(std::string(500, 'a')));
}

TEST_F(SessionServiceTest, EndAllKeepsOnlyTheCurrentSession) {
  auto a = sessions.start(account, {});
  auto b = sessions.start(account, {});
  auto c = sessions.start(account, {});
  auto ended = sessions.end_all(account, b->token);
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 2);
  EXPECT_FALSE(sessions.resume(a->token));
  EXPECT_TRUE(sessions.resume(b->token));
  EXPECT_FALSE(sessions.resume(c->token));
}

TEST_F(SessionServiceTest, EndByHashOnlyForTheOwner) {
  Account other;
  other.identifier = "pierre";
  other.email = "p@example.org";
  other.display_name = "Pierre";
  auto other_id = s.accounts->create(other)->id;
  auto mine = sessions.start(account, {});
  EXPECT_FALSE(sessions.end_by_hash(other_id, mine->session.id_hash));
  EXPECT_TRUE(sessions.resume(mine->token));
  EXPECT_TRUE(sessions.end_by_hash(account, mine->session.id_hash));
  EXPECT_FALSE(sessions.resume(mine->token));
}

TEST_F(SessionServiceTest, PurgeRemovesIdleSessions) {
  auto old = sessions.start(account, {});
  s.clock.advance(31min);
  auto fresh = sessions.start(account, {});
  auto purged = sessions.purge();
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1);
  EXPECT_FALSE(s.sessions->find(old->session.id_hash));
  EXPECT_TRUE(s.sessions->find(fresh->session.id_hash));
}

struct RecordingListener : SessionEndListener {
  std::vector<EndedSession> heard;
  void sessions_ended(const std::vector<EndedSession>& ended) override {
    heard.insert(heard.end(), ended.begin(), ended.end());
  }
};

TEST_F(SessionServiceTest, EveryWayOfEndingTellsTheListenerWhichSessionsEnded) {
  RecordingListener listener;
  sessions.set_end_listener(&listener);
  auto a = sessions.start(account, {});
  auto b = sessions.start(account, {});
  auto c = sessions.start(account, {});
  auto d = sessions.start(account, {});

  ASSERT_TRUE(sessions.end(a->token));
  ASSERT_EQ(listener.heard.size(), 1u);
  EXPECT_EQ(listener.heard[0].sid, a->session.sid);
  EXPECT_EQ(listener.heard[0].account_id, account);
  ASSERT_TRUE(sessions.end(a->token)) << "ending it twice is fine";
  EXPECT_EQ(listener.heard.size(), 1u) << "and says nothing the second time";

  ASSERT_TRUE(sessions.end_by_hash(account, b->session.id_hash));
  ASSERT_EQ(listener.heard.size(), 2u);
  EXPECT_EQ(listener.heard[1].sid, b->session.sid);

  ASSERT_EQ(*sessions.end_all(account, d->token), 1);
  ASSERT_EQ(listener.heard.size(), 3u);
  EXPECT_EQ(listener.heard[2].sid, c->session.sid);

  auto e = sessions.start(account, {});
  auto by_sid = sessions.end_by_sid(e->session.sid);
  ASSERT_TRUE(by_sid && *by_sid);
  ASSERT_EQ(listener.heard.size(), 4u);
  EXPECT_EQ(listener.heard[3].sid, e->session.sid);
  EXPECT_FALSE(*sessions.end_by_sid(e->session.sid)) << "gone already";

  ASSERT_EQ(*sessions.end_every_session(), 1);
  ASSERT_EQ(listener.heard.size(), 5u);
  EXPECT_EQ(listener.heard[4].sid, d->session.sid);
}

TEST_F(SessionServiceTest, ExpiryIsNotAnEndingTheListenerHears) {
  RecordingListener listener;
  sessions.set_end_listener(&listener);
  auto a = sessions.start(account, {});
  s.clock.advance(31min);
  EXPECT_FALSE(sessions.resume(a->token));
  EXPECT_TRUE(listener.heard.empty());
}

}  // namespace
}  // namespace portier
