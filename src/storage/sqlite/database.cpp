#include "storage/sqlite/database.h"

#include <sqlite3.h>

#include <chrono>

#include "common/clock.h"
#include "storage/migrations.h"
#include "storage/sql/sqlite_driver.h"

namespace portier::storage::sqlite {

Error to_error(sqlite3* db, int rc, std::string_view what) { return sql::sqlite_error(db, rc, what); }

// ---- Statement -------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), bind_rc_(other.bind_rc_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

namespace {
// Keeps the first failure: later binds must not hide why the statement is bad.
void keep_first(int& kept, int rc) {
  if (kept == SQLITE_OK) kept = rc;
}
}  // namespace

Statement& Statement::bind(int index, std::string_view text) {
  keep_first(bind_rc_, sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                                         SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  keep_first(bind_rc_, sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind_null(int index) {
  keep_first(bind_rc_, sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<TimePoint>& at) {
  return at ? bind(index, to_unix(*at)) : bind_null(index);
}

Result<bool> Statement::step() {
  if (bind_rc_ != SQLITE_OK) return tl::unexpected(to_error(db_, bind_rc_, "bind"));
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error = to_error(db_, rc, sqlite3_sql(stmt_));
  sqlite3_reset(stmt_);
  return tl::unexpected(std::move(error));
}

Result<int> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return sqlite3_changes(db_);
  }
}

std::string Statement::text(int column) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::optional<TimePoint> Statement::optional_time(int column) const {
  if (is_null(column)) return std::nullopt;
  return time(column);
}

// ---- Lease -----------------------------------------------------------------

Lease::~Lease() {
  if (conn_ == nullptr) return;
  // A connection must never go back to the pool inside a transaction, or the
  // next borrower would silently write into it.
  if (sqlite3_get_autocommit(conn_) == 0) sqlite3_exec(conn_, "ROLLBACK", nullptr, nullptr, nullptr);
  db_->give_back(conn_);
}

Result<Statement> Lease::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(conn_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return tl::unexpected(to_error(conn_, rc, sql));
  }
  return Statement(conn_, stmt);
}

Result<void> Lease::exec(const char* sql) {
  int rc = sqlite3_exec(conn_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(to_error(conn_, rc, std::string_view(sql).substr(0, 60)));
  return {};
}

// ---- Database --------------------------------------------------------------

Result<std::shared_ptr<Database>> Database::open(const std::string& path, int pool_size) {
  if (pool_size < 1) return fail(ErrorCode::InvalidInput, "pool_size must be at least 1");
  bool memory = path == ":memory:";
  std::string uri = memory ? sql::sqlite_memory_uri() : path;
  std::shared_ptr<Database> db(new Database());
  for (int i = 0; i < pool_size; ++i) {
    auto conn = sql::open_sqlite_connection(uri, i == 0, memory);
    if (!conn) return tl::unexpected(conn.error());  // ~Database closes the others
    db->all_.push_back(*conn);
    db->idle_.push_back(*conn);
  }
  return db;
}

Database::~Database() {
  for (sqlite3* conn : all_) sqlite3_close_v2(conn);
}

Lease Database::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  sqlite3* conn = idle_.back();
  idle_.pop_back();
  return Lease(this, conn);
}

void Database::give_back(sqlite3* conn) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(conn);
  }
  available_.notify_one();
}

Result<void> Database::ping() {
  auto lease = acquire();
  auto stmt = lease.prepare("SELECT 1");
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return {};
}

Result<int> Database::migrate() {
  auto lease = acquire();
  auto created = lease.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)");
  if (!created) return tl::unexpected(created.error());
  int applied = 0;
  for (const Migration& m : migrations()) {
    // The check runs inside the IMMEDIATE transaction: a second process
    // migrating at the same time waits for our COMMIT, then sees the row.
    auto done = transaction(lease, [&]() -> Result<bool> {
      auto seen = lease.prepare("SELECT 1 FROM schema_migrations WHERE name = ?");
      if (!seen) return tl::unexpected(seen.error());
      auto row = seen->bind(1, m.name).step();
      if (!row) return tl::unexpected(row.error());
      if (*row) return false;
      if (auto ran = lease.exec(m.sql); !ran) {
        return fail(ran.error().code, std::string(m.name) + ": " + ran.error().detail);
      }
      auto record = lease.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)");
      if (!record) return tl::unexpected(record.error());
      auto inserted = record->bind(1, m.name).bind(2, to_unix(std::chrono::system_clock::now())).run();
      if (!inserted) return tl::unexpected(inserted.error());
      return true;
    });
    if (!done) return tl::unexpected(done.error());
    if (*done) ++applied;
  }
  return applied;
}

}  // namespace portier::storage::sqlite
