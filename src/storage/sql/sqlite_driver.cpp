#include "storage/sql/sqlite_driver.h"

#include <sqlite3.h>

#include <atomic>
#include <string>
#include <unordered_map>

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

// A prepared statement kept by its connection for the next query with the
// same SQL text: parsing and planning were about a third of the CPU of a
// client_credentials grant (docs/performance.md). `in_use` while a cursor
// reads it; the same SQL asked again meanwhile gets a statement of its own.
struct CachedStatement {
  sqlite3_stmt* stmt = nullptr;
  bool in_use = false;
};
// SQL built at run time (IN lists of varying length) would grow the cache
// without end: past this many, statements are prepared for one use.
constexpr std::size_t kStatementCacheSize = 256;

class SqliteCursor final : public Cursor {
public:
  // `cached`: the connection's entry to give the statement back to (reset,
  // bindings cleared); null: the cursor owns it and finalizes it.
  SqliteCursor(sqlite3* db, sqlite3_stmt* stmt, int bind_rc, CachedStatement* cached)
      : db_(db), stmt_(stmt), bind_rc_(bind_rc), cached_(cached) {}
  ~SqliteCursor() override {
    if (!cached_) {
      sqlite3_finalize(stmt_);
      return;
    }
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    cached_->in_use = false;
  }

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
  CachedStatement* cached_;
};

class SqliteConnection final : public Connection {
public:
  explicit SqliteConnection(sqlite3* conn) : conn_(conn) {}
  ~SqliteConnection() override {
    for (auto& [sql, cached] : statements_) sqlite3_finalize(cached.stmt);
    sqlite3_close_v2(conn_);
  }

  const Dialect& dialect() const override {
    static const Dialect d(Backend::Sqlite);
    return d;
  }
  Result<Statement> query(std::string_view sql, std::vector<Param> params) override {
    sqlite3_stmt* stmt = nullptr;
    CachedStatement* cached = nullptr;
    if (auto it = statements_.find(std::string(sql)); it != statements_.end() && !it->second.in_use) {
      cached = &it->second;
      stmt = cached->stmt;
    } else {
      bool keep = it == statements_.end() && statements_.size() < kStatementCacheSize;
      int rc = sqlite3_prepare_v3(conn_, sql.data(), static_cast<int>(sql.size()), keep ? SQLITE_PREPARE_PERSISTENT : 0,
                                  &stmt, nullptr);
      if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return tl::unexpected(sqlite_error(conn_, rc, sql));
      }
      if (keep && stmt) cached = &statements_.emplace(std::string(sql), CachedStatement{stmt}).first->second;
    }
    if (cached) cached->in_use = true;
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
    return Statement(std::make_unique<SqliteCursor>(conn_, stmt, bind_rc, cached));
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
  std::unordered_map<std::string, CachedStatement> statements_;  // by SQL text
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

// For `portier db copy` (storage/copy): no write of any kind, not even the
// WAL switch of open_sqlite, so that a file in either journal mode opens,
// and a missing file is an error instead of a new empty database.
Result<std::shared_ptr<Database>> open_sqlite_read_only(const std::string& path) {
  return Database::open(
      Dialect(Backend::Sqlite),
      [path]() -> Result<std::unique_ptr<Connection>> {
        sqlite3* conn = nullptr;
        int rc = sqlite3_open_v2(path.c_str(), &conn, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, nullptr);
        if (rc != SQLITE_OK) {
          Error error = sqlite_error(conn, rc, "open " + path);
          sqlite3_close_v2(conn);
          return tl::unexpected(std::move(error));
        }
        sqlite3_extended_result_codes(conn, 1);
        sqlite3_busy_timeout(conn, 5000);
        return std::unique_ptr<Connection>(std::make_unique<SqliteConnection>(conn));
      },
      1);
}

}  // namespace portier::storage::sql
