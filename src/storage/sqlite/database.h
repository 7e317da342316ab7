#pragma once
// Owns a small pool of SQLite connections and the helpers the Sqlite*Store
// classes share. Never throws across its interface: every failure is a Result.
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

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

// A connection borrowed from the pool; given back on destruction.
class Lease {
public:
  Lease(Lease&& other) noexcept : db_(other.db_), conn_(other.conn_) { other.conn_ = nullptr; }
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();

  sqlite3* handle() const { return conn_; }
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
  friend class Database;
  Lease(Database* db, sqlite3* conn) : db_(db), conn_(conn) {}
  Database* db_;
  sqlite3* conn_;
};

class Database {
public:
  /// Opens `pool_size` connections to `path` (WAL, synchronous=FULL,
  /// foreign_keys=ON, busy_timeout=5000). ":memory:" gives a private
  /// in-memory database shared by the pool's connections (for tests).
  static Result<std::shared_ptr<Database>> open(const std::string& path, int pool_size = 4);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Applies pending migrations, one transaction each; returns how many.
  Result<int> migrate();
  /// SELECT 1 on a pooled connection, for /readyz.
  Result<void> ping();
  /// Borrows a connection, waiting while all are in use.
  Lease acquire();

private:
  friend class Lease;
  Database() = default;
  void give_back(sqlite3* conn);

  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<sqlite3*> idle_;
  std::vector<sqlite3*> all_;
};

template <typename T>
struct IsResult : std::false_type {};
template <typename T>
struct IsResult<Result<T>> : std::true_type {};

/// Steps `stmt` to its end and turns each row into an element with `read`
/// (which returns the element, or a Result of it); the first error stops it.
/// Every store's "list" goes through here.
template <typename Read>
auto read_rows(Result<Statement> stmt, Read read) {
  using Returned = std::invoke_result_t<Read, const Statement&>;
  using Row = typename std::conditional_t<IsResult<Returned>::value, Returned, Result<Returned>>::value_type;
  using Out = Result<std::vector<Row>>;
  if (!stmt) return Out(tl::unexpected(stmt.error()));
  std::vector<Row> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return Out(tl::unexpected(row.error()));
    if (!*row) return Out(std::move(out));
    if constexpr (IsResult<Returned>::value) {
      auto item = read(*stmt);
      if (!item) return Out(tl::unexpected(item.error()));
      out.push_back(std::move(*item));
    } else {
      out.push_back(read(*stmt));
    }
  }
}

/// Turns "no row changed" into NotFound for updates addressed by key.
inline Result<void> require_change(Result<int> changed, std::string_view what) {
  if (!changed) return tl::unexpected(changed.error());
  if (*changed == 0) return fail(ErrorCode::NotFound, std::string(what) + " not found");
  return {};
}

/// Runs `fn()` (returning Result<T>) inside BEGIN IMMEDIATE … COMMIT, rolling
/// back when it fails. IMMEDIATE takes the write lock up front, so two writers
/// wait on busy_timeout instead of failing on a read-to-write upgrade.
template <typename Fn>
auto transaction(Lease& lease, Fn&& fn) -> decltype(fn()) {
  if (auto begun = lease.exec("BEGIN IMMEDIATE"); !begun) return tl::unexpected(begun.error());
  auto result = fn();
  if (!result) {
    (void)lease.exec("ROLLBACK");
    return result;
  }
  if (auto committed = lease.exec("COMMIT"); !committed) {
    (void)lease.exec("ROLLBACK");
    return tl::unexpected(committed.error());
  }
  return result;
}

}  // namespace portier::storage::sqlite
