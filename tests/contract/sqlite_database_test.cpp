// SQLite-only behaviour of the SQLite driver: migrations, pragmas, pooling. The store
// behaviour itself is covered by the backend-parameterised suites.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "storage/migrations.h"
#include "storage/open_database.h"
#include "storage/sql/sqlite_driver.h"

namespace portier::storage::sql {
namespace {

class TempDir {
public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "portier-db-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const char* name) const { return (path_ / name).string(); }

private:
  std::filesystem::path path_;
};

std::string pragma(Database& db, const char* sql) {
  auto lease = db.acquire();
  auto stmt = lease.query(sql);
  if (!stmt || !stmt->step().value_or(false)) return "?";
  return stmt->text(0);
}

TEST(SqliteDatabase, MigrateAppliesEachMigrationOnceAcrossReopen) {
  TempDir dir;
  {
    auto db = open_sqlite(dir.file("portier.db"));
    ASSERT_TRUE(db) << db.error().detail;
    auto first = migrate_database(**db);
    ASSERT_TRUE(first) << first.error().detail;
    EXPECT_EQ(*first, static_cast<int>(migrations().size()));
    EXPECT_EQ(*migrate_database(**db), 0);
  }
  auto reopened = open_sqlite(dir.file("portier.db"));
  ASSERT_TRUE(reopened);
  EXPECT_EQ(*migrate_database(**reopened), 0);
}

TEST(SqliteDatabase, TwoPoolsMigratingTheSameFileApplyItOnce) {
  TempDir dir;
  auto a = open_sqlite(dir.file("portier.db"));
  auto b = open_sqlite(dir.file("portier.db"));
  ASSERT_TRUE(a && b);
  Result<int> ra = 0, rb = 0;
  std::thread ta([&] { ra = migrate_database(**a); });
  std::thread tb([&] { rb = migrate_database(**b); });
  ta.join();
  tb.join();
  ASSERT_TRUE(ra) << ra.error().detail;
  ASSERT_TRUE(rb) << rb.error().detail;
  EXPECT_EQ(*ra + *rb, static_cast<int>(migrations().size()));
}

TEST(SqliteDatabase, FileDatabaseUsesWalFullSyncAndForeignKeys) {
  TempDir dir;
  auto db = open_sqlite(dir.file("portier.db"), 2);
  ASSERT_TRUE(db);
  EXPECT_EQ(pragma(**db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(pragma(**db, "PRAGMA synchronous"), "2");
  EXPECT_EQ(pragma(**db, "PRAGMA foreign_keys"), "1");
  EXPECT_TRUE((*db)->ping());
}

TEST(SqliteDatabase, MemoryDatabasesAreSharedByThePoolButNotBetweenPools) {
  auto a = open_sqlite(":memory:", 2);
  auto b = open_sqlite(":memory:", 2);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(migrate_database(**a));
  {
    auto l1 = (*a)->acquire();
    auto l2 = (*a)->acquire();  // a second connection of the same pool
    ASSERT_TRUE(l1.exec("INSERT INTO audit_events (at, event) VALUES (1, 'x')"));
    auto count = l2.query("SELECT COUNT(*) FROM audit_events");
    ASSERT_TRUE(count && *count->step());
    EXPECT_EQ(count->int64(0), 1);
  }
  auto lease = (*b)->acquire();
  EXPECT_FALSE(lease.query("SELECT COUNT(*) FROM audit_events"));
}

TEST(SqliteDatabase, ErrorsMapToTheProjectCodes) {
  auto db = open_sqlite(":memory:", 1);
  ASSERT_TRUE(db && migrate_database(**db));
  auto lease = (*db)->acquire();
  ASSERT_TRUE(lease.exec("INSERT INTO flows (id_hash, kind, state, created_at, expires_at) VALUES ('f', 'setup', 's', 0, 1)"));
  auto dup = lease.exec("INSERT INTO flows (id_hash, kind, state, created_at, expires_at) VALUES ('f', 'setup', 's', 0, 1)");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::Conflict);
  // Another constraint than uniqueness (flows.kind is an open list since 0011: a missing one).
  auto bad_kind = lease.exec("INSERT INTO flows (id_hash, kind, state, created_at, expires_at) VALUES ('g', NULL, 's', 0, 1)");
  ASSERT_FALSE(bad_kind);
  EXPECT_EQ(bad_kind.error().code, ErrorCode::Internal);
  EXPECT_EQ(sqlite_error(nullptr, SQLITE_BUSY, "x").code, ErrorCode::Unavailable);
  EXPECT_EQ(sqlite_error(nullptr, SQLITE_IOERR_FSYNC, "x").code, ErrorCode::Unavailable);
  EXPECT_EQ(open_sqlite("/nonexistent-dir/portier.db").error().code, ErrorCode::Unavailable);
}

TEST(SqliteDatabase, TransactionRollsBackWhenTheBodyFails) {
  auto db = open_sqlite(":memory:", 1);
  ASSERT_TRUE(db && migrate_database(**db));
  auto lease = (*db)->acquire();
  auto r = transaction(lease, [&]() -> Result<void> {
    if (auto ok = lease.exec("INSERT INTO audit_events (at, event) VALUES (1, 'x')"); !ok) return ok;
    return fail(ErrorCode::Internal, "body failed");
  });
  ASSERT_FALSE(r);
  auto count = lease.query("SELECT COUNT(*) FROM audit_events");
  ASSERT_TRUE(count && *count->step());
  EXPECT_EQ(count->int64(0), 0);
}

TEST(SqliteDatabase, AcquireWaitsForAFreeConnection) {
  auto db = open_sqlite(":memory:", 1);
  ASSERT_TRUE(db);
  std::atomic<bool> got_second{false};
  std::thread waiter;
  {
    auto held = (*db)->acquire();
    waiter = std::thread([&] {
      auto lease = (*db)->acquire();
      got_second = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(got_second);
  }
  waiter.join();
  EXPECT_TRUE(got_second);
}

}  // namespace
}  // namespace portier::storage::sql
