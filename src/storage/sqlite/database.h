#pragma once
// Owns a small pool of SQLite connections and the helpers the Sqlite*Store
// classes share. Never throws across its interface: every failure is a Result.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "storage/sql/database.h"

struct sqlite3;
struct sqlite3_stmt;

namespace portier::storage::sqlite {

// Maps an SQLite result code to the project's ErrorCode: BUSY, LOCKED,
// CANTOPEN, IOERR and FULL are Unavailable (retry later), a UNIQUE or PRIMARY
// KEY violation is Conflict, anything else Internal.
Error to_error(sqlite3* db, int rc, std::string_view what);

// A prepared statement, finalized on destruction. Binding errors are kept
// and reported by the next step()/run(), so call sites stay one chain long.
// Parameter indexes start at 1, column indexes at 0 (as in the C API).
class Statement {
public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::string>& text);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  Statement& bind(int index, std::nullopt_t) { return bind_null(index); }
  Statement& bind(int index, TimePoint at) { return bind(index, to_unix(at)); }
  Statement& bind(int index, const std::optional<TimePoint>& at);

  /// true when a row is available, false when the statement is done.
  Result<bool> step();
  /// Steps to completion; returns the number of rows changed.
  Result<int> run();

  std::string text(int column) const;
  std::int64_t int64(int column) const;
  bool is_null(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;
  TimePoint time(int column) const { return from_unix(int64(column)); }
  std::optional<TimePoint> optional_time(int column) const;

private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = 0;  // first failed bind, SQLITE_OK when none
};

class Database;

// A connection borrowed from the pool; given back on destruction. It is a
// sql::Lease of the backend-neutral layer (storage/sql) seen through the
// SQLite C API, so that a store not yet moved to that layer and one already
// moved share one connection and one transaction.
class Lease {
public:
  explicit Lease(sql::Lease lease);
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;

  sqlite3* handle() const { return conn_; }
  /// The same connection through the backend-neutral layer.
  sql::Lease& sql() { return lease_; }
  Result<Statement> prepare(std::string_view sql);
  /// Prepares `sql` and binds `args` to ?1, ?2, … in order.
  template <typename... Args>
  Result<Statement> query(std::string_view sql, const Args&... args) {
    auto stmt = prepare(sql);
    if (stmt) {
      int index = 0;
      (stmt->bind(++index, args), ...);
    }
    return stmt;
  }
  /// Prepares, binds and runs a write; returns the number of rows changed.
  template <typename... Args>
  Result<int> run(std::string_view sql, const Args&... args) {
    auto stmt = query(sql, args...);
    if (!stmt) return tl::unexpected(stmt.error());
    return stmt->run();
  }
  /// Runs one or more statements without parameters (DDL, BEGIN, COMMIT).
  Result<void> exec(const char* sql);

private:
  sql::Lease lease_;
  sqlite3* conn_;
};

// The SQLite database of the stores not yet moved to storage/sql: the same
// pool as sql::Database (shared()), seen through the SQLite C API.
class Database {
public:
  /// Opens `pool_size` connections to `path` (WAL, synchronous=FULL,
  /// foreign_keys=ON, busy_timeout=5000). ":memory:" gives a private
  /// in-memory database shared by the pool's connections (for tests).
  static Result<std::shared_ptr<Database>> open(const std::string& path, int pool_size = 4);

  /// Applies pending migrations, one transaction each; returns how many.
  Result<int> migrate();
  /// SELECT 1 on a pooled connection, for /readyz.
  Result<void> ping();
  /// Borrows a connection, waiting while all are in use.
  Lease acquire();
  /// The same pool through the backend-neutral layer.
  const std::shared_ptr<sql::Database>& shared() const { return db_; }

private:
  explicit Database(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}
  std::shared_ptr<sql::Database> db_;
};

using sql::read_rows;
using sql::require_change;

/// Runs `fn()` (returning Result<T>) inside BEGIN IMMEDIATE … COMMIT, rolling
/// back when it fails (sql::transaction). IMMEDIATE takes the write lock up
/// front, so two writers wait on busy_timeout instead of failing on a
/// read-to-write upgrade.
template <typename Fn>
auto transaction(Lease& lease, Fn&& fn) -> decltype(fn()) {
  return sql::transaction(lease.sql(), std::forward<Fn>(fn));
}

}  // namespace portier::storage::sqlite
