// The storage layer (storage/sql) behaves the same on every backend: values
// round-trip, the common SQL subset works, errors map to the same codes,
// transactions commit or leave nothing, and atomic rules hold under
// concurrent writers (PostgreSQL's READ COMMITTED, not only SQLite's single
// writer).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <set>
#include <thread>
#include <vector>

#include "contract/sql_backends.h"
#include "storage/migrations.h"
#include "storage/sql/postgres_driver.h"
#include "storage/sql/sqlite_driver.h"

namespace portier::contract {
namespace {

using storage::Migration;
using storage::sql::Backend;
using storage::sql::Database;
using storage::sql::Lease;
using storage::sql::Statement;
using storage::sql::transaction;

class SqlLayer : public ::testing::TestWithParam<SqlBackend> {
protected:
  void SetUp() override {
    db_ = GetParam().open(4);
    auto lease = db_->acquire();
    ASSERT_TRUE(lease.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                           " note TEXT, amount BIGINT NOT NULL DEFAULT 0)"));
  }
  std::shared_ptr<Database> db_;
};

TEST_P(SqlLayer, ValuesRoundTripThroughPlaceholders) {
  auto lease = db_->acquire();
  const std::string text = "l’école « O'Brien » \"quoted\" ?1 -- not a comment";
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  std::optional<std::string> none;
  ASSERT_EQ(lease.run("INSERT INTO items (id, name, note, amount) VALUES (?1, ?2, ?3, ?4)", 1, text, none, big), 1);
  auto stmt = lease.query("SELECT name, note, amount, 'literal ? with ?2' FROM items WHERE id = ?1", 1);
  ASSERT_TRUE(stmt) << stmt.error().detail;
  ASSERT_TRUE(stmt->step().value());
  EXPECT_EQ(stmt->text(0), text);
  EXPECT_TRUE(stmt->is_null(1));
  EXPECT_EQ(stmt->optional_text(1), std::nullopt);
  EXPECT_EQ(stmt->int64(2), big);
  EXPECT_EQ(stmt->text(3), "literal ? with ?2");
  EXPECT_FALSE(stmt->step().value());
}

TEST_P(SqlLayer, BarePlaceholdersCountInOrder) {
  auto lease = db_->acquire();
  ASSERT_EQ(lease.run("INSERT INTO items (id, name, amount) VALUES (?, ?, ?)", 7, "seven", -7), 1);
  auto stmt = lease.query("SELECT amount FROM items WHERE id = ? AND name = ?", 7, "seven");
  ASSERT_TRUE(stmt && stmt->step().value());
  EXPECT_EQ(stmt->int64(0), -7);
}

TEST_P(SqlLayer, UpsertAndReturningAreCommonGround) {
  auto lease = db_->acquire();
  const char* upsert =
      "INSERT INTO items (id, name, amount) VALUES (?1, ?2, 1)"
      " ON CONFLICT (id) DO UPDATE SET amount = items.amount + 1 RETURNING amount";
  for (int expected = 1; expected <= 3; ++expected) {
    auto stmt = lease.query(upsert, 1, "one");
    ASSERT_TRUE(stmt) << stmt.error().detail;
    ASSERT_TRUE(stmt->step().value());
    EXPECT_EQ(stmt->int64(0), expected);
  }
  EXPECT_EQ(lease.run("INSERT INTO items (id, name) VALUES (2, 'one') ON CONFLICT DO NOTHING").value(), 0);
}

TEST_P(SqlLayer, CaseInsensitiveMatchThroughLower) {
  auto lease = db_->acquire();
  ASSERT_TRUE(lease.run("INSERT INTO items (id, name) VALUES (1, ?1)", "Claire.Martin@Example.org"));
  auto stmt = lease.query("SELECT id FROM items WHERE lower(name) = lower(?1)", "claire.martin@example.ORG");
  ASSERT_TRUE(stmt && stmt->step().value());
}

TEST_P(SqlLayer, ErrorsMapToTheSameCodes) {
  auto lease = db_->acquire();
  ASSERT_TRUE(lease.run("INSERT INTO items (id, name) VALUES (1, 'a')"));
  auto duplicate = lease.run("INSERT INTO items (id, name) VALUES (2, 'a')");
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::Conflict);
  auto broken = lease.query("SELECT nothing FROM nowhere");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::Internal);
  // The connection is still usable afterwards.
  EXPECT_TRUE(lease.query("SELECT 1").and_then([](Statement s) { return s.step(); }).value_or(false));
}

TEST_P(SqlLayer, TransactionCommitsAllOrLeavesNothing) {
  auto lease = db_->acquire();
  auto failed = transaction(lease, [&]() -> Result<int> {
    if (auto r = lease.run("INSERT INTO items (id, name) VALUES (1, 'a')"); !r) return r;
    return lease.run("INSERT INTO items (id, name) VALUES (2, 'a')");  // unique violation
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::Conflict);
  EXPECT_FALSE(lease.connection().in_transaction());
  auto none = lease.query("SELECT count(*) FROM items");
  ASSERT_TRUE(none && none->step().value());
  EXPECT_EQ(none->int64(0), 0);

  auto done = transaction(lease, [&]() -> Result<int> {
    if (auto r = lease.run("INSERT INTO items (id, name) VALUES (1, 'a')"); !r) return r;
    return lease.run("INSERT INTO items (id, name) VALUES (2, 'b')");
  });
  ASSERT_TRUE(done) << done.error().detail;
  auto two = lease.query("SELECT count(*) FROM items");
  ASSERT_TRUE(two && two->step().value());
  EXPECT_EQ(two->int64(0), 2);
}

TEST_P(SqlLayer, ALeaseGivenBackInsideATransactionIsRolledBack) {
  {
    auto lease = db_->acquire();
    ASSERT_TRUE(lease.connection().begin());
    ASSERT_TRUE(lease.run("INSERT INTO items (id, name) VALUES (1, 'a')"));
  }
  for (int i = 0; i < 4; ++i) {  // whichever connection comes back
    auto lease = db_->acquire();
    EXPECT_FALSE(lease.connection().in_transaction());
    auto count = lease.query("SELECT count(*) FROM items");
    ASSERT_TRUE(count && count->step().value());
    EXPECT_EQ(count->int64(0), 0);
  }
}

// A read-decide-write rule (the lockout claim's shape): read the counter,
// refuse past a limit, write it back. With the row read FOR UPDATE (SQLite:
// the IMMEDIATE transaction), concurrent writers never exceed the limit and
// never lose an increment.
TEST_P(SqlLayer, ReadDecideWriteHoldsUnderConcurrentWriters) {
  {
    auto lease = db_->acquire();
    ASSERT_TRUE(lease.run("INSERT INTO items (id, name, amount) VALUES (1, 'counter', 0)"));
  }
  constexpr int kLimit = 50;
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto lease = db_->acquire();
        auto claimed = transaction(lease, [&]() -> Result<bool> {
          auto row = lease.query(std::string("SELECT amount FROM items WHERE id = 1") + lease.dialect().for_update());
          if (!row) return tl::unexpected(row.error());
          if (!row->step().value_or(false)) return fail(ErrorCode::NotFound);
          auto amount = row->int64(0);
          if (amount >= kLimit) return false;
          auto written = lease.run("UPDATE items SET amount = ?1 WHERE id = 1", amount + 1);
          if (!written) return tl::unexpected(written.error());
          return true;
        });
        ASSERT_TRUE(claimed) << claimed.error().detail;
        if (*claimed) ++granted;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted.load(), kLimit);
  auto lease = db_->acquire();
  auto final = lease.query("SELECT amount FROM items WHERE id = 1");
  ASSERT_TRUE(final && final->step().value());
  EXPECT_EQ(final->int64(0), kLimit);
}

TEST_P(SqlLayer, MigrationsApplyOnceInOrder) {
  static const std::vector<Migration> first = {
      {"0001_a", "CREATE TABLE a (id BIGINT PRIMARY KEY)"},
      {"0002_b", "CREATE TABLE b (id BIGINT PRIMARY KEY); INSERT INTO b (id) VALUES (1)"},
  };
  EXPECT_EQ(db_->migrate(first).value(), 2);
  EXPECT_EQ(db_->migrate(first).value(), 0);
  auto more = first;
  more.push_back({"0003_c", "ALTER TABLE b ADD COLUMN note TEXT"});
  EXPECT_EQ(db_->migrate(more).value(), 1);
  static const std::vector<Migration> broken = {{"0004_bad", "CREATE TABLE d (id BIGINT); SELECT * FROM nowhere"}};
  auto failed = db_->migrate(broken);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().detail.find("0004_bad"), std::string::npos);
  // Nothing of the failed migration stays, and it is not recorded.
  auto lease = db_->acquire();
  EXPECT_FALSE(lease.query("SELECT count(*) FROM d").and_then([](Statement s) { return s.step(); }));
  auto recorded = lease.query("SELECT count(*) FROM schema_migrations");
  ASSERT_TRUE(recorded && recorded->step().value());
  EXPECT_EQ(recorded->int64(0), 3);
}

TEST_P(SqlLayer, PingAnswers) { EXPECT_TRUE(db_->ping()); }

INSTANTIATE_TEST_SUITE_P(Backends, SqlLayer, ::testing::ValuesIn(sql_backends()), sql_backend_name);

// ---- PostgreSQL only ------------------------------------------------------

class PostgresOnly : public ::testing::Test {
protected:
  void SetUp() override {
    if (!std::getenv("PORTIER_TEST_PG_DSN")) GTEST_SKIP() << "PORTIER_TEST_PG_DSN is not set";
  }
};

// Two nodes starting together: the advisory lock lets one apply each
// migration, the other finds it done; no error, no double application.
TEST_F(PostgresOnly, NodesMigratingTogetherApplyEachMigrationOnce) {
  auto dsn = fresh_postgres_schema();
  std::vector<Migration> migrations;
  static std::vector<std::string> sql;
  sql.clear();
  for (int i = 0; i < 8; ++i) sql.push_back("CREATE TABLE m" + std::to_string(i) + " (id BIGINT PRIMARY KEY)");
  static std::vector<std::string> names;
  names.clear();
  for (int i = 0; i < 8; ++i) names.push_back("000" + std::to_string(i) + "_m");
  for (int i = 0; i < 8; ++i) migrations.push_back({names[i].c_str(), sql[i].c_str()});
  std::atomic<int> applied{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> nodes;
  for (int n = 0; n < 3; ++n) {
    nodes.emplace_back([&] {
      auto db = storage::sql::open_postgres({dsn, 1});
      if (!db) { ++failures; return; }
      auto r = (*db)->migrate(migrations);
      if (!r) { ++failures; return; }
      applied += *r;
    });
  }
  for (auto& t : nodes) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(applied.load(), 8);
}

// The server ends a connection (failover, restart): the statement fails as
// Unavailable (a 503 and a retry for the member, never a sign-out), and the
// pool reopens the connection on the next borrow.
TEST_F(PostgresOnly, ALostConnectionIsUnavailableThenReplaced) {
  auto db = storage::sql::open_postgres({fresh_postgres_schema(), 1}).value();
  std::string pid;
  {
    auto lease = db->acquire();
    auto stmt = lease.query("SELECT pg_backend_pid()");
    ASSERT_TRUE(stmt && stmt->step().value());
    pid = stmt->text(0);
  }
  auto killer = storage::sql::open_postgres({std::getenv("PORTIER_TEST_PG_DSN"), 1}).value();
  {
    auto lease = killer->acquire();
    auto killed = lease.query("SELECT pg_terminate_backend(?1::int)", pid);
    ASSERT_TRUE(killed && killed->step().value());
  }
  {
    auto lease = db->acquire();
    auto lost = lease.query("SELECT 1");
    ASSERT_FALSE(lost);
    EXPECT_EQ(lost.error().code, ErrorCode::Unavailable);
  }
  auto lease = db->acquire();
  auto back = lease.query("SELECT pg_backend_pid()");
  ASSERT_TRUE(back && back->step().value()) << (back ? "" : back.error().detail);
  EXPECT_NE(back->text(0), pid);
}

TEST_F(PostgresOnly, AWrongAddressIsSaidAtOpen) {
  auto db = storage::sql::open_postgres({"host=/nonexistent port=1 user=nobody dbname=none connect_timeout=2", 1});
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::Unavailable);
  EXPECT_NE(db.error().detail.find("PostgreSQL connection"), std::string::npos);
}

}  // namespace
}  // namespace portier::contract

namespace portier::contract {
namespace {

// The two dialects' schemas stay in step: every table and column the SQLite
// migrations make exists on PostgreSQL after its own migrations, so a store
// written once reads the same columns on both. (The console's search index,
// account_search, differs: FTS5 on SQLite, a table of folded words on PostgreSQL.)
TEST_F(PostgresOnly, ThePostgresSchemaHasEveryTableAndColumnOfTheSqliteOne) {
  auto sqlite = storage::sql::open_sqlite(":memory:", 1).value();
  ASSERT_TRUE(sqlite->migrate(storage::migrations()));
  auto pg = storage::sql::open_postgres({fresh_postgres_schema(), 1}).value();
  auto applied = pg->migrate(storage::postgres_migrations());
  ASSERT_TRUE(applied) << applied.error().detail;
  EXPECT_EQ(pg->migrate(storage::postgres_migrations()).value(), 0);

  std::set<std::string> expected, found;
  {
    auto lease = sqlite->acquire();
    auto tables = storage::sql::read_rows(
        lease.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'account_search%'"
                    " AND name NOT LIKE 'sqlite_%'"),
        [](const Statement& s) { return s.text(0); });
    ASSERT_TRUE(tables);
    for (const auto& table : *tables) {
      auto columns = storage::sql::read_rows(lease.query("SELECT name FROM pragma_table_info(?1)", table),
                                             [](const Statement& s) { return s.text(0); });
      ASSERT_TRUE(columns);
      for (const auto& c : *columns) expected.insert(table + "." + c);
    }
  }
  {
    auto lease = pg->acquire();
    auto columns = storage::sql::read_rows(
        lease.query("SELECT table_name || '.' || column_name FROM information_schema.columns"
                    " WHERE table_schema = current_schema() AND table_name NOT LIKE 'account_search%'"),
        [](const Statement& s) { return s.text(0); });
    ASSERT_TRUE(columns) << columns.error().detail;
    found.insert(columns->begin(), columns->end());
  }
  ASSERT_GT(expected.size(), 100u);
  for (const auto& column : expected) EXPECT_TRUE(found.count(column)) << column << " is missing on PostgreSQL";
  for (const auto& column : found) EXPECT_TRUE(expected.count(column)) << column << " exists only on PostgreSQL";
}

// Identifiers are unique whatever their case on PostgreSQL too (SQLite's
// COLLATE NOCASE becomes a unique index on lower(identifier)).
TEST_F(PostgresOnly, IdentifiersAreUniqueWhateverTheirCase) {
  auto pg = storage::sql::open_postgres({fresh_postgres_schema(), 1}).value();
  ASSERT_TRUE(pg->migrate(storage::postgres_migrations()));
  auto lease = pg->acquire();
  const char* insert =
      "INSERT INTO accounts (identifier, email, created_at, updated_at) VALUES (?1, ?2, 0, 0) RETURNING id";
  auto first = lease.query(insert, "Claire.Martin", "claire@example.org");
  ASSERT_TRUE(first && first->step().value());
  EXPECT_GT(first->int64(0), 0);
  auto second = lease.query(insert, "claire.martin", "autre@example.org");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::Conflict);
}

}  // namespace
}  // namespace portier::contract
