// oidc::LogoutStore on every backend: which applications a session used,
// the back-channel queue filled in one transaction with their forgetting,
// and claims that never hand one delivery to two workers.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "contract/sql_backends.h"
#include "storage/open_database.h"
#include "storage/stores/sql_account_store.h"
#include "storage/stores/sql_logout_store.h"
#include "storage/stores/sql_session_store.h"

namespace portier::contract {
namespace {

using namespace std::chrono_literals;
using oidc::BackchannelDelivery;
using oidc::DeliveryStatus;

class LogoutStoreContract : public ::testing::TestWithParam<SqlBackend> {
protected:
  void SetUp() override {
    db_ = GetParam().open(4);
    auto applied = storage::migrate_database(*db_);
    ASSERT_TRUE(applied) << applied.error().detail;
    accounts_ = std::make_unique<storage::SqlAccountStore>(db_, clock_);
    sessions_ = std::make_unique<storage::SqlSessionStore>(db_, clock_);
    store_ = std::make_unique<storage::SqlLogoutStore>(db_);
    Account a;
    a.identifier = "mcurie";
    a.email = "marie@example.org";
    a.display_name = "Marie Curie";
    member_ = accounts_->create(a)->id;
    // Registered straight in the table: the client store is another
    // engineer's contract suite; this one needs rows, not their rules.
    add_client("agenda", "https://agenda.example.org/backchannel");
    add_client("dossier", "https://dossier.example.org/bc");
    add_client("formation", "");  // registered no back-channel URI
  }

  void add_client(const std::string& id, const std::string& backchannel) {
    auto lease = db_->acquire();
    auto added = lease.run(
        "INSERT INTO oidc_clients (client_id, name, auth_method, id_token_alg, access_token_format, created_at,"
        " updated_at, backchannel_logout_uri) VALUES (?, ?, 'client_secret_basic', 'RS256', 'opaque', ?, ?, ?)",
        id, "App " + id, clock_.now(), clock_.now(), backchannel);
    ASSERT_TRUE(added) << added.error().detail;
  }

  void start_session(const std::string& sid) {
    Session s;
    s.id_hash = "hash-" + sid;
    s.sid = sid;
    s.account_id = member_;
    s.created_at = s.last_seen_at = clock_.now();
    s.expires_at = clock_.now() + 12h;
    ASSERT_TRUE(sessions_->create(s));
  }

  std::vector<BackchannelDelivery> claim(int limit = 20, Seconds lease = 2min) {
    auto claimed = store_->claim_due(clock_.now(), clock_.now() + lease, limit);
    EXPECT_TRUE(claimed) << (claimed ? "" : claimed.error().detail);
    return claimed ? *claimed : std::vector<BackchannelDelivery>{};
  }

  BackchannelDelivery find(std::int64_t id) {
    auto all = store_->list(1000);
    EXPECT_TRUE(all);
    for (auto& d : *all)
      if (d.id == id) return d;
    ADD_FAILURE() << "no delivery " << id;
    return {};
  }

  FakeClock clock_;
  std::shared_ptr<storage::sql::Database> db_;
  std::unique_ptr<storage::SqlAccountStore> accounts_;
  std::unique_ptr<storage::SqlSessionStore> sessions_;
  std::unique_ptr<storage::SqlLogoutStore> store_;
  AccountId member_ = 0;
};

INSTANTIATE_TEST_SUITE_P(Backends, LogoutStoreContract, ::testing::ValuesIn(sql_backends()), sql_backend_name);

TEST_P(LogoutStoreContract, RecordUseKeepsOneRowPerSessionAndClient) {
  ASSERT_TRUE(store_->record_use("s1", member_, "agenda", clock_.now()));
  clock_.advance(1min);
  ASSERT_TRUE(store_->record_use("s1", member_, "agenda", clock_.now())) << "a second code: the same row";
  ASSERT_TRUE(store_->record_use("s1", member_, "dossier", clock_.now()));
  ASSERT_TRUE(store_->record_use("s2", member_, "agenda", clock_.now()));
  EXPECT_EQ(*store_->clients_of("s1"), (std::vector<std::string>{"agenda", "dossier"}));
  EXPECT_EQ(*store_->clients_of("s2"), (std::vector<std::string>{"agenda"}));
  EXPECT_TRUE(store_->clients_of("nobody")->empty());
}

TEST_P(LogoutStoreContract, RecordUseOfAnUnknownClientFails) {
  EXPECT_FALSE(store_->record_use("s1", member_, "no-such-client", clock_.now()));
}

TEST_P(LogoutStoreContract, QueueLogoutsQueuesOnlyClientsWithABackchannelUriAndForgetsTheSession) {
  for (auto c : {"agenda", "dossier", "formation"}) ASSERT_TRUE(store_->record_use("s1", member_, c, clock_.now()));
  ASSERT_TRUE(store_->record_use("s2", member_, "agenda", clock_.now()));
  auto queued = store_->queue_logouts("s1", clock_.now());
  ASSERT_TRUE(queued) << queued.error().detail;
  EXPECT_EQ(*queued, 2) << "formation registered no back-channel URI";
  EXPECT_TRUE(store_->clients_of("s1")->empty()) << "the ended session's applications are forgotten";
  EXPECT_EQ(store_->clients_of("s2")->size(), 1u) << "another session of the member is untouched";
  auto all = store_->list(10).value();
  ASSERT_EQ(all.size(), 2u);
  std::set<std::string> clients;
  for (auto& d : all) {
    clients.insert(d.client_id);
    EXPECT_EQ(d.sid, "s1");
    EXPECT_EQ(d.account_id, member_);
    EXPECT_EQ(d.status, DeliveryStatus::Queued);
    EXPECT_EQ(d.attempts, 0);
  }
  EXPECT_EQ(clients, (std::set<std::string>{"agenda", "dossier"}));
  EXPECT_EQ(*store_->queue_logouts("s1", clock_.now()), 0) << "ending it again queues nothing more";
}

TEST_P(LogoutStoreContract, ClaimLeasesCountsAttemptsAndHonoursTheClaimToken) {
  ASSERT_TRUE(store_->record_use("s1", member_, "agenda", clock_.now()));
  ASSERT_EQ(*store_->queue_logouts("s1", clock_.now()), 1);
  auto first = claim();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].attempts, 1);
  EXPECT_FALSE(first[0].claim_token.empty());
  EXPECT_TRUE(claim().empty()) << "leased: not claimed again";

  ASSERT_TRUE(store_->mark_deferred(first[0], clock_.now() + 30s, "HTTP status 503"));
  EXPECT_TRUE(claim().empty()) << "not due before its retry";
  clock_.advance(30s);
  auto second = claim();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].attempts, 2);
  EXPECT_EQ(second[0].last_error, "HTTP status 503");
  EXPECT_FALSE(store_->mark_sent(first[0], clock_.now())) << "a stale claim changes nothing";
  ASSERT_TRUE(store_->mark_sent(second[0], clock_.now()));
  auto done = find(second[0].id);
  EXPECT_EQ(done.status, DeliveryStatus::Sent);
  EXPECT_TRUE(done.sent_at);
  EXPECT_FALSE(store_->mark_deferred(second[0], clock_.now(), "late")) << "a sent delivery is never revived";
  clock_.advance(1h);
  EXPECT_TRUE(claim().empty());
}

TEST_P(LogoutStoreContract, ALeaseThatRunsOutIsClaimedByAnotherWorker) {
  ASSERT_TRUE(store_->record_use("s1", member_, "agenda", clock_.now()));
  ASSERT_EQ(*store_->queue_logouts("s1", clock_.now()), 1);
  auto first = claim(20, 2min);
  ASSERT_EQ(first.size(), 1u);
  clock_.advance(2min);
  auto second = claim();
  ASSERT_EQ(second.size(), 1u) << "the worker that claimed it died; another takes over";
  EXPECT_NE(second[0].claim_token, first[0].claim_token);
  ASSERT_TRUE(store_->mark_failed(second[0], "gave up"));
  EXPECT_EQ(find(second[0].id).status, DeliveryStatus::Failed);
}

TEST_P(LogoutStoreContract, RemovingAClientRemovesItsUsesAndDeliveries) {
  ASSERT_TRUE(store_->record_use("s1", member_, "agenda", clock_.now()));
  ASSERT_TRUE(store_->record_use("s2", member_, "agenda", clock_.now()));
  ASSERT_EQ(*store_->queue_logouts("s1", clock_.now()), 1);
  auto lease = db_->acquire();
  ASSERT_TRUE(lease.run("DELETE FROM oidc_clients WHERE client_id = 'agenda'"));
  EXPECT_TRUE(store_->clients_of("s2")->empty());
  EXPECT_TRUE(store_->list(10)->empty());
}

TEST_P(LogoutStoreContract, PurgeDropsFinishedDeliveriesAndTheApplicationsOfVanishedSessions) {
  start_session("live");
  ASSERT_TRUE(store_->record_use("live", member_, "agenda", clock_.now()));
  ASSERT_TRUE(store_->record_use("expired", member_, "agenda", clock_.now()));
  ASSERT_TRUE(store_->record_use("s1", member_, "dossier", clock_.now()));
  ASSERT_EQ(*store_->queue_logouts("s1", clock_.now()), 1);
  auto d = claim();
  ASSERT_EQ(d.size(), 1u);
  ASSERT_TRUE(store_->mark_sent(d[0], clock_.now()));
  clock_.advance(8 * 24h);
  auto purged = store_->purge(clock_.now() - 7 * 24h);
  ASSERT_TRUE(purged) << purged.error().detail;
  EXPECT_EQ(*purged, 2);
  EXPECT_TRUE(store_->list(10)->empty());
  EXPECT_EQ(store_->clients_of("live")->size(), 1u);
  EXPECT_TRUE(store_->clients_of("expired")->empty());
}

TEST_P(LogoutStoreContract, ACompositeOperationQueuesTheLogoutsOfTheSessionsItEndsInItsTransaction) {
  start_session("kept");
  start_session("other");
  ASSERT_TRUE(store_->record_use("kept", member_, "agenda", clock_.now()));
  ASSERT_TRUE(store_->record_use("other", member_, "agenda", clock_.now()));
  ASSERT_TRUE(store_->record_use("other", member_, "dossier", clock_.now()));
  auto lease = db_->acquire();
  // A failed operation leaves nothing queued.
  auto failed = storage::sql::transaction(lease, [&]() -> Result<int> {
    auto q = storage::queue_logouts_for_account(lease, member_, "hash-kept", clock_.now());
    if (!q) return q;
    return fail(ErrorCode::Conflict, "the rest of the operation failed");
  });
  ASSERT_FALSE(failed);
  EXPECT_TRUE(store_->list(10)->empty());
  EXPECT_EQ(store_->clients_of("other")->size(), 2u);

  auto done = storage::sql::transaction(lease, [&]() -> Result<int> {
    auto q = storage::queue_logouts_for_account(lease, member_, "hash-kept", clock_.now());
    if (!q) return q;
    auto ended = lease.run("DELETE FROM sessions WHERE account_id = ? AND id_hash <> ?", member_, "hash-kept");
    if (!ended) return ended;
    return q;
  });
  ASSERT_TRUE(done) << done.error().detail;
  EXPECT_EQ(*done, 2) << "the other session's two applications";
  auto queued = store_->list(10);  // named: a range-for over *temporary would dangle
  for (auto& d : *queued) EXPECT_EQ(d.sid, "other");
  EXPECT_TRUE(store_->clients_of("other")->empty());
  EXPECT_EQ(store_->clients_of("kept")->size(), 1u) << "the kept session is still signed into its application";
}

TEST_P(LogoutStoreContract, ConcurrentWorkersNeverClaimTheSameDelivery) {
  for (int i = 0; i < 30; ++i) {
    auto sid = "s" + std::to_string(i);
    ASSERT_TRUE(store_->record_use(sid, member_, "agenda", clock_.now()));
    ASSERT_EQ(*store_->queue_logouts(sid, clock_.now()), 1);
  }
  std::mutex mutex;
  std::multiset<std::int64_t> seen;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w)
    workers.emplace_back([&] {
      for (;;) {
        auto claimed = store_->claim_due(clock_.now(), clock_.now() + 2min, 4);
        if (!claimed) continue;  // a serialization retry spent: try again
        if (claimed->empty()) return;
        std::lock_guard lock(mutex);
        for (auto& d : *claimed) seen.insert(d.id);
      }
    });
  for (auto& t : workers) t.join();
  EXPECT_EQ(seen.size(), 30u);
  EXPECT_EQ(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 30u) << "no delivery claimed twice";
}

}  // namespace
}  // namespace portier::contract
