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

Lease::Lease(sql::Lease lease) : lease_(std::move(lease)), conn_(sql::native_sqlite_handle(lease_.connection())) {}

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
  auto db = sql::open_sqlite(path, pool_size);
  if (!db) return tl::unexpected(db.error());
  return std::shared_ptr<Database>(new Database(std::move(*db)));
}

Lease Database::acquire() { return Lease(db_->acquire()); }

Result<void> Database::ping() { return db_->ping(); }

Result<int> Database::migrate() { return db_->migrate(migrations()); }

}  // namespace portier::storage::sqlite
