#include <algorithm>

#include "contract/backends.h"

namespace portier::contract {
namespace {

using namespace std::chrono_literals;

class SessionStoreContract : public StoreContract {
protected:
  void SetUp() override {
    StoreContract::SetUp();
    member_ = create_account("mcurie").id;
  }

  Session make_session(std::string id_hash, AccountId account, Seconds lifetime = 12h) {
    Session s;
    s.id_hash = std::move(id_hash);
    s.account_id = account;
    s.created_at = s.last_seen_at = clock_.now();
    s.expires_at = clock_.now() + lifetime;
    s.ip = "192.0.2.1";
    s.user_agent = "Firefox";
    return s;
  }

  AccountId member_ = 0;
};
PORTIER_CONTRACT_SUITE(SessionStoreContract);

TEST_P(SessionStoreContract, CreateThenFindRoundTrips) {
  Session s = make_session("h1", member_);
  s.auth_methods = "pwd+app";
  ASSERT_TRUE(sessions().create(s));
  auto found = sessions().find("h1");
  ASSERT_TRUE(found) << found.error().detail;
  EXPECT_EQ(found->account_id, member_);
  EXPECT_EQ(found->auth_methods, "pwd+app");
  EXPECT_EQ(found->created_at, s.created_at);
  EXPECT_EQ(found->expires_at, s.expires_at);
  EXPECT_EQ(found->ip, "192.0.2.1");
  EXPECT_EQ(found->user_agent, "Firefox");
  EXPECT_EQ(sessions().find("unknown").error().code, ErrorCode::NotFound);
}

TEST_P(SessionStoreContract, DuplicateHashIsConflict) {
  ASSERT_TRUE(sessions().create(make_session("h1", member_)));
  auto again = sessions().create(make_session("h1", member_));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::Conflict);
}

TEST_P(SessionStoreContract, RekeyMovesTheSessionToItsNewIdAndKeepsTheRest) {
  Session s = make_session("old", member_);
  s.auth_methods = "pwd+app";
  ASSERT_TRUE(sessions().create(s));
  TimePoint later = clock_.now() + 5min;
  ASSERT_TRUE(sessions().rekey("old", "new", later));
  EXPECT_EQ(sessions().find("old").error().code, ErrorCode::NotFound);
  auto moved = sessions().find("new");
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->auth_methods, "pwd+app");
  EXPECT_EQ(moved->created_at, s.created_at);
  EXPECT_EQ(moved->expires_at, s.expires_at);
  EXPECT_EQ(moved->last_seen_at, later);
  // A revoked (or already renewed) session cannot be renewed.
  EXPECT_EQ(sessions().rekey("old", "other", later).error().code, ErrorCode::NotFound);
  EXPECT_EQ(sessions().find("other").error().code, ErrorCode::NotFound);
}

TEST_P(SessionStoreContract, SetAuthMethodsChangesOnlyThemAndNeedsALiveSession) {
  auto s = make_session("h-methods", member_);
  ASSERT_TRUE(sessions().create(s));
  ASSERT_TRUE(sessions().set_auth_methods("h-methods", "pwd+app"));
  auto found = sessions().find("h-methods");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->auth_methods, "pwd+app");
  EXPECT_EQ(found->created_at, s.created_at);
  EXPECT_EQ(found->expires_at, s.expires_at);
  ASSERT_TRUE(sessions().revoke("h-methods"));
  EXPECT_EQ(sessions().set_auth_methods("h-methods", "pwd+app").error().code, ErrorCode::NotFound);
}

TEST_P(SessionStoreContract, TouchMovesLastSeenForwardOnly) {
  ASSERT_TRUE(sessions().create(make_session("h1", member_)));
  TimePoint later = clock_.now() + 10min;
  ASSERT_TRUE(sessions().touch("h1", later));
  EXPECT_EQ(sessions().find("h1")->last_seen_at, later);
  ASSERT_TRUE(sessions().touch("h1", later - 5min));
  EXPECT_EQ(sessions().find("h1")->last_seen_at, later);
}

TEST_P(SessionStoreContract, RevokedSessionIsNotFoundAndRevokingTwiceIsFine) {
  auto s = make_session("h1", member_);
  s.sid = "sid-h1";
  ASSERT_TRUE(sessions().create(s));
  auto gone = sessions().revoke("h1");
  ASSERT_TRUE(gone);
  ASSERT_TRUE(*gone) << "the ended session is returned";
  EXPECT_EQ((*gone)->sid, "sid-h1");
  EXPECT_EQ((*gone)->account_id, member_);
  EXPECT_EQ(sessions().find("h1").error().code, ErrorCode::NotFound);
  auto again = sessions().revoke("h1");
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
}

TEST_P(SessionStoreContract, RevokeAllKeepsTheCurrentSessionAndOtherAccounts) {
  AccountId other = create_account("other").id;
  for (auto hash : {"a", "b", "current"}) ASSERT_TRUE(sessions().create(make_session(hash, member_)));
  ASSERT_TRUE(sessions().create(make_session("theirs", other)));

  auto ended = sessions().revoke_all(member_, "current");
  ASSERT_TRUE(ended);
  std::vector<std::string> sids;
  for (auto& e : *ended) {
    sids.push_back(e.sid);
    EXPECT_EQ(e.account_id, member_);
  }
  std::sort(sids.begin(), sids.end());
  EXPECT_EQ(sids, (std::vector<std::string>{"a", "b"})) << "the sids of the sessions ended, no other";
  EXPECT_TRUE(sessions().find("current"));
  EXPECT_FALSE(sessions().find("a"));
  EXPECT_TRUE(sessions().find("theirs"));

  EXPECT_EQ(sessions().revoke_all(member_, "")->size(), 1u);
  EXPECT_FALSE(sessions().find("current"));
}

TEST_P(SessionStoreContract, RevokeEveryReturnsEverySessionEnded) {
  AccountId other = create_account("other").id;
  ASSERT_TRUE(sessions().create(make_session("mine", member_)));
  ASSERT_TRUE(sessions().create(make_session("theirs", other)));
  auto ended = sessions().revoke_every();
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->size(), 2u);
  EXPECT_FALSE(sessions().find("mine"));
  EXPECT_TRUE(sessions().revoke_every()->empty());
}

TEST_P(SessionStoreContract, ListForAccountIsNewestFirstAndSkipsExpired) {
  ASSERT_TRUE(sessions().create(make_session("short", member_, 1h)));
  clock_.advance(1min);
  ASSERT_TRUE(sessions().create(make_session("older", member_)));
  clock_.advance(1min);
  ASSERT_TRUE(sessions().create(make_session("newer", member_)));
  ASSERT_TRUE(sessions().create(make_session("theirs", create_account("other").id)));
  clock_.advance(2h);

  auto listed = sessions().list_for_account(member_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id_hash, "newer");
  EXPECT_EQ((*listed)[1].id_hash, "older");
}

TEST_P(SessionStoreContract, PurgeRemovesAbsoluteAndIdleExpiryOnly) {
  TimePoint start = clock_.now();
  ASSERT_TRUE(sessions().create(make_session("absolute", member_, 1h)));
  ASSERT_TRUE(sessions().create(make_session("idle", member_, 12h)));
  ASSERT_TRUE(sessions().create(make_session("active", member_, 12h)));
  clock_.advance(1h);
  ASSERT_TRUE(sessions().touch("active", clock_.now()));
  ASSERT_TRUE(sessions().touch("absolute", clock_.now()));

  // Both limits are inclusive: "absolute" expires exactly now, "idle" was
  // last seen exactly at idle_before (a 1 h idle timeout).
  auto purged = sessions().purge_expired(clock_.now(), start);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 2);
  EXPECT_FALSE(sessions().find("absolute"));
  EXPECT_FALSE(sessions().find("idle"));
  EXPECT_TRUE(sessions().find("active"));
}

}  // namespace
}  // namespace portier::contract

namespace portier::contract {
namespace {

TEST_P(SessionStoreContract, RevokeBySidEndsOnlyThatSession) {
  auto s = make_session("h1", member_);
  s.sid = "public-1";
  ASSERT_TRUE(sessions().create(s));
  ASSERT_TRUE(sessions().create(make_session("h2", member_)));
  auto none = sessions().revoke_by_sid("public-2");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto gone = sessions().revoke_by_sid("public-1");
  ASSERT_TRUE(gone);
  ASSERT_TRUE(*gone);
  EXPECT_EQ((*gone)->sid, "public-1");
  EXPECT_EQ((*gone)->account_id, member_);
  EXPECT_FALSE(sessions().find("h1"));
  EXPECT_TRUE(sessions().find("h2"));
}

}  // namespace
}  // namespace portier::contract
