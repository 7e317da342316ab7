#include "storage/sql/sqlite_driver.h"

#include <sqlite3.h>

#include <atomic>

namespace portier::storage::sql {

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  std::string detail(what);
  detail += ": ";
  detail += sqlite3_errstr(rc);
  // errmsg names the table or constraint; it is only meaningful while the
  // connection's last error is this one, which holds since a lease is owned
  // by one thread.
  if (db != nullptr && (sqlite3_errcode(db) & 0xff) == (rc & 0xff)) {
    detail += " (";
    detail += sqlite3_errmsg(db);
    detail += ")";
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return Error{ErrorCode::Unavailable, std::move(detail)};
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return Error{ErrorCode::Conflict, std::move(detail)};
      return Error{ErrorCode::Internal, std::move(detail)};
    default:
      return Error{ErrorCode::Internal, std::move(detail)};
  }
}

// Each ":memory:" database gets its own name so tests stay isolated. The
// memdb VFS shares a "/name" among the connections of this process and,
// unlike shared-cache mode, locks like a file: writers wait on busy_timeout
// instead of failing at once with SQLITE_LOCKED.
std::string sqlite_memory_uri() {
  static std::atomic<int> counter{0};
  return "file:/portier-mem-" + std::to_string(++counter) + "?vfs=memdb";
}

Result<sqlite3*> open_sqlite_connection(const std::string& uri, bool first, bool memory) {
  sqlite3* conn = nullptr;
  int flags = SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE;
  int rc = sqlite3_open_v2(uri.c_str(), &conn, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = sqlite_error(conn, rc, "open " + uri);
    sqlite3_close_v2(conn);
    return tl::unexpected(std::move(error));
  }
  sqlite3_extended_result_codes(conn, 1);
  sqlite3_busy_timeout(conn, 5000);
  // synchronous=FULL: a password change or a new account must survive a
  // power cut once the member has been told it is done.
  const char* pragmas = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
  rc = sqlite3_exec(conn, pragmas, nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK && first && !memory)
    rc = sqlite3_exec(conn, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    Error error = sqlite_error(conn, rc, "configure " + uri);
    sqlite3_close_v2(conn);
    return tl::unexpected(std::move(error));
  }
  return conn;
}

namespace {

class SqliteCursor final : public Cursor {
public:
  SqliteCursor(sqlite3* db, sqlite3_stmt* stmt, int bind_rc) : db_(db), stmt_(stmt), bind_rc_(bind_rc) {}
  ~SqliteCursor() override { sqlite3_finalize(stmt_); }

  Result<bool> step() override {
    if (bind_rc_ != SQLITE_OK) return tl::unexpected(sqlite_error(db_, bind_rc_, "bind"));
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Error error = sqlite_error(db_, rc, sqlite3_sql(stmt_));
    sqlite3_reset(stmt_);
    return tl::unexpected(std::move(error));
  }
  Result<int> run() override {
    for (;;) {
      auto row = step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) return sqlite3_changes(db_);
    }
  }
  std::string text(int column) const override {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
  }
  std::int64_t int64(int column) const override { return sqlite3_column_int64(stmt_, column); }
  bool is_null(int column) const override { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bind_rc_;  // the first failed bind, reported by the first step
};

class SqliteConnection final : public Connection {
public:
  explicit SqliteConnection(sqlite3* conn) : conn_(conn) {}
  ~SqliteConnection() override { sqlite3_close_v2(conn_); }

  const Dialect& dialect() const override {
    static const Dialect d(Backend::Sqlite);
    return d;
  }
  Result<Statement> query(std::string_view sql, std::vector<Param> params) override {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(conn_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return tl::unexpected(sqlite_error(conn_, rc, sql));
    }
    int bind_rc = SQLITE_OK;
    for (std::size_t i = 0; i < params.size() && bind_rc == SQLITE_OK; ++i) {
      int index = static_cast<int>(i) + 1;
      const Param& p = params[i];
      if (std::holds_alternative<std::monostate>(p)) {
        bind_rc = sqlite3_bind_null(stmt, index);
      } else if (auto* n = std::get_if<std::int64_t>(&p)) {
        bind_rc = sqlite3_bind_int64(stmt, index, *n);
      } else {
        const auto& s = std::get<std::string>(p);
        bind_rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
    }
    return Statement(std::make_unique<SqliteCursor>(conn_, stmt, bind_rc));
  }
  Result<void> exec(std::string_view sql) override {
    std::string text(sql);  // sqlite3_exec needs a terminated string
    int rc = sqlite3_exec(conn_, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(conn_, rc, sql.substr(0, 60)));
    return {};
  }
  Result<void> begin() override { return exec("BEGIN IMMEDIATE"); }
  Result<void> commit() override { return exec("COMMIT"); }
  void rollback() override {
    if (in_transaction()) sqlite3_exec(conn_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  bool in_transaction() const override { return sqlite3_get_autocommit(conn_) == 0; }
  bool last_failure_retryable() const override { return false; }  // BUSY already waited busy_timeout
  bool broken() const override { return false; }

private:
  sqlite3* conn_;
};

}  // namespace

Result<std::shared_ptr<Database>> open_sqlite(const std::string& path, int pool_size) {
  bool memory = path == ":memory:";
  std::string uri = memory ? sqlite_memory_uri() : path;
  auto first = std::make_shared<bool>(true);
  // The first connection keeps a memory database alive: SQLite drops a memdb
  // when its last connection closes, and the pool never closes them all.
  return Database::open(
      Dialect(Backend::Sqlite),
      [uri, memory, first]() -> Result<std::unique_ptr<Connection>> {
        auto conn = open_sqlite_connection(uri, *first, memory);
        if (!conn) return tl::unexpected(conn.error());
        *first = false;
        return std::unique_ptr<Connection>(std::make_unique<SqliteConnection>(*conn));
      },
      pool_size);
}

}  // namespace portier::storage::sql
