#include "storage/sql/database.h"

#include <chrono>

namespace portier::storage::sql {

Lease::~Lease() {
  if (!conn_) return;
  if (conn_->in_transaction()) conn_->rollback();
  db_->give_back(std::move(conn_));
}

Result<std::shared_ptr<Database>> Database::open(Dialect dialect, Opener open, int pool_size) {
  if (pool_size < 1) return fail(ErrorCode::InvalidInput, "pool_size must be at least 1");
  std::shared_ptr<Database> db(new Database(dialect, std::move(open)));
  for (int i = 0; i < pool_size; ++i) {
    auto conn = db->open_();
    if (!conn) return tl::unexpected(conn.error());
    db->idle_.push_back(std::move(*conn));
  }
  return db;
}

Database::~Database() = default;

Lease Database::acquire() {
  std::unique_ptr<Connection> conn;
  {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [this] { return !idle_.empty(); });
    conn = std::move(idle_.back());
    idle_.pop_back();
  }
  // Reopened outside the pool's lock: a server that is down must not hold
  // every other borrower behind one connection attempt.
  if (conn->broken()) {
    if (auto fresh = open_()) conn = std::move(*fresh);
  }
  return Lease(this, std::move(conn));
}

void Database::give_back(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(conn));
  }
  available_.notify_one();
}

Result<void> Database::ping() {
  auto lease = acquire();
  auto stmt = lease.query("SELECT 1");
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return {};
}

namespace {

// Applies what schema_migrations does not record yet, each migration in its
// own transaction whose first read is that check: a second node migrating at
// the same time waits (SQLite: the write lock; PostgreSQL: the schema lock
// its caller holds), then sees the row.
Result<int> apply_pending(Lease& lease, const std::vector<Migration>& migrations) {
  auto created = lease.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)");
  if (!created) return tl::unexpected(created.error());
  int applied = 0;
  for (const Migration& m : migrations) {
    auto done = transaction(lease, [&]() -> Result<bool> {
      auto seen = lease.query("SELECT 1 FROM schema_migrations WHERE name = ?1", m.name);
      if (!seen) return tl::unexpected(seen.error());
      auto row = seen->step();
      if (!row) return tl::unexpected(row.error());
      if (*row) return false;
      if (auto ran = lease.exec(m.sql); !ran) {
        return fail(ran.error().code, std::string(m.name) + ": " + ran.error().detail);
      }
      auto recorded = lease.run("INSERT INTO schema_migrations (name, applied_at) VALUES (?1, ?2)", m.name,
                                to_unix(std::chrono::system_clock::now()));
      if (!recorded) return tl::unexpected(recorded.error());
      return true;
    });
    if (!done) return tl::unexpected(done.error());
    if (*done) ++applied;
  }
  return applied;
}

}  // namespace

Result<int> Database::migrate(const std::vector<Migration>& migrations) {
  auto lease = acquire();
  // The lock comes first: two nodes creating schema_migrations at once would
  // race in PostgreSQL's catalog even with IF NOT EXISTS. It is a session
  // lock, so it is released before the connection goes back to the pool.
  std::string_view lock = dialect_.schema_lock();
  if (!lock.empty()) {
    auto held = lease.query(lock).and_then([](Statement s) { return s.step(); });
    if (!held) return tl::unexpected(held.error());
  }
  auto applied = apply_pending(lease, migrations);
  if (!lock.empty()) (void)lease.query(dialect_.schema_unlock()).and_then([](Statement s) { return s.step(); });
  return applied;
}

}  // namespace portier::storage::sql
