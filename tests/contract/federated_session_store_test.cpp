// FederatedSessionStore on every backend: a remembered ID token comes back
// whole from take(), once (a second take, or any concurrent one, finds
// nothing); remembering the same sid again replaces it; the token is sealed
// at rest (the row never holds it in clear); purge removes exactly the
// records past their expiry.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "contract/backends.h"
#include "storage/sql/database.h"

namespace portier::contract {
namespace {

class FederatedSessionStoreContract : public StoreContract {
protected:
  FederatedSessionStore& store() { return *stores_.federated_sessions; }
  // A compact JWS as PSC issues it (the store does not read it).
  static std::string id_token(std::string_view who) {
    return "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiI" + std::string(who) + "In0.c2lnbmF0dXJl";
  }
  FederatedSession session(std::string sid, std::string_view who, TimePoint expires_at) {
    return FederatedSession{std::move(sid), "psc", id_token(who), expires_at};
  }
  std::string raw_box(std::string_view sid) {
    auto db = std::static_pointer_cast<storage::sql::Database>(stores_.keep_alive);
    auto lease = db->acquire();
    auto rows = storage::sql::read_rows(lease.query("SELECT id_token_box FROM federated_sessions WHERE sid = ?", sid),
                                        [](const storage::sql::Statement& s) { return s.text(0); });
    return rows && !rows->empty() ? rows->front() : std::string();
  }
};

TEST_P(FederatedSessionStoreContract, ATokenIsTakenOnceAndWhole) {
  auto expiry = clock_.now() + std::chrono::hours(12);
  ASSERT_TRUE(store().remember(session("sid-1", "jdupont", expiry)));
  auto got = store().take("sid-1");
  ASSERT_TRUE(got) << got.error().detail;
  EXPECT_EQ(got->sid, "sid-1");
  EXPECT_EQ(got->provider, "psc");
  EXPECT_EQ(got->id_token, id_token("jdupont"));
  EXPECT_EQ(got->expires_at, expiry);
  auto again = store().take("sid-1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::NotFound);
  EXPECT_EQ(store().take("never-federated").error().code, ErrorCode::NotFound);
}

TEST_P(FederatedSessionStoreContract, RememberingTheSameSessionAgainReplacesIt) {
  auto t0 = clock_.now();
  ASSERT_TRUE(store().remember(session("sid-1", "first", t0 + std::chrono::hours(1))));
  auto second = session("sid-1", "second", t0 + std::chrono::hours(2));
  second.provider = "chu-idp";
  ASSERT_TRUE(store().remember(second));
  auto got = store().take("sid-1");
  ASSERT_TRUE(got) << got.error().detail;
  EXPECT_EQ(got->provider, "chu-idp");
  EXPECT_EQ(got->id_token, id_token("second"));
  EXPECT_EQ(got->expires_at, t0 + std::chrono::hours(2));
  EXPECT_FALSE(store().take("sid-1"));
}

TEST_P(FederatedSessionStoreContract, TheTokenIsSealedAtRest) {
  ASSERT_TRUE(store().remember(session("sid-1", "jdupont", clock_.now() + std::chrono::hours(1))));
  auto box = raw_box("sid-1");
  ASSERT_FALSE(box.empty());
  EXPECT_EQ(box.find("eyJ"), std::string::npos) << box;
  EXPECT_EQ(box.find("jdupont"), std::string::npos);
  // Two sealings of one token differ (a fresh nonce each).
  ASSERT_TRUE(store().remember(session("sid-2", "jdupont", clock_.now() + std::chrono::hours(1))));
  EXPECT_NE(raw_box("sid-2"), box);
}

TEST_P(FederatedSessionStoreContract, ConcurrentTakesGiveTheTokenToExactlyOne) {
  constexpr int kRounds = 20;
  constexpr int kThreads = 4;
  for (int round = 0; round < kRounds; ++round) {
    auto sid = "sid-" + std::to_string(round);
    ASSERT_TRUE(store().remember(session(sid, "jdupont", clock_.now() + std::chrono::hours(1))));
    std::atomic<int> taken{0}, not_found{0}, failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&] {
        auto got = store().take(sid);
        if (got && got->id_token == id_token("jdupont"))
          ++taken;
        else if (!got && got.error().code == ErrorCode::NotFound)
          ++not_found;
        else
          ++failed;
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(taken.load(), 1) << "round " << round;
    EXPECT_EQ(not_found.load(), kThreads - 1) << "round " << round;
    EXPECT_EQ(failed.load(), 0) << "round " << round;
  }
}

TEST_P(FederatedSessionStoreContract, PurgeRemovesOnlyExpiredRecords) {
  auto now = clock_.now();
  ASSERT_TRUE(store().remember(session("gone-1", "a", now - std::chrono::hours(1))));
  ASSERT_TRUE(store().remember(session("gone-2", "b", now)));
  ASSERT_TRUE(store().remember(session("kept", "c", now + std::chrono::seconds(1))));
  auto purged = store().purge_expired(now);
  ASSERT_TRUE(purged) << purged.error().detail;
  EXPECT_EQ(*purged, 2u);
  EXPECT_EQ(store().take("gone-1").error().code, ErrorCode::NotFound);
  EXPECT_EQ(store().take("gone-2").error().code, ErrorCode::NotFound);
  EXPECT_TRUE(store().take("kept"));
  EXPECT_EQ(*store().purge_expired(now), 0u);
}

PORTIER_CONTRACT_SUITE(FederatedSessionStoreContract);

}  // namespace
}  // namespace portier::contract
