#pragma once
// One connection to the database, as a driver provides it, and the Lease a
// store borrows it through. A store writes its SQL once (dialect.h) and binds
// its values with `query(sql, args...)`; the driver does the rest.
#include <memory>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/sql/dialect.h"
#include "storage/sql/param.h"
#include "storage/sql/statement.h"

namespace portier::storage::sql {

class Connection {
public:
  virtual ~Connection() = default;
  virtual const Dialect& dialect() const = 0;
  /// Runs `sql` with `params` bound to ?1, ?2, …; the rows are read through
  /// the Statement.
  virtual Result<Statement> query(std::string_view sql, std::vector<Param> params) = 0;
  /// Runs one or more statements without parameters (DDL, SET).
  virtual Result<void> exec(std::string_view sql) = 0;
  /// BEGIN for a transaction that will write. SQLite takes the write lock up
  /// front (BEGIN IMMEDIATE), so two writers wait instead of failing on a
  /// read-to-write upgrade; PostgreSQL starts a READ COMMITTED transaction.
  virtual Result<void> begin() = 0;
  virtual Result<void> commit() = 0;
  virtual void rollback() = 0;
  virtual bool in_transaction() const = 0;
  /// The last failure was one a retry of the whole transaction can cure
  /// (PostgreSQL serialization failure or deadlock).
  virtual bool last_failure_retryable() const = 0;
  /// The connection is unusable (server gone, failover): the pool replaces it.
  virtual bool broken() const = 0;
};

class Database;

// A connection borrowed from the pool; given back on destruction (rolled
// back first if a transaction was left open, so the next borrower never
// writes into it).
class Lease {
public:
  Lease(Database* db, std::unique_ptr<Connection> conn) : db_(db), conn_(std::move(conn)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();

  Connection& connection() { return *conn_; }
  const Dialect& dialect() const { return conn_->dialect(); }

  /// Runs `sql` with `args` bound to ?1, ?2, … in order.
  template <typename... Args>
  Result<Statement> query(std::string_view sql, const Args&... args) {
    std::vector<Param> params;
    params.reserve(sizeof...(args));
    (params.push_back(param(args)), ...);
    return conn_->query(sql, std::move(params));
  }
  /// Runs a write; returns the number of rows changed.
  template <typename... Args>
  Result<int> run(std::string_view sql, const Args&... args) {
    auto stmt = query(sql, args...);
    if (!stmt) return tl::unexpected(stmt.error());
    return stmt->run();
  }
  Result<void> exec(std::string_view sql) { return conn_->exec(sql); }

private:
  Database* db_;
  std::unique_ptr<Connection> conn_;
};

}  // namespace portier::storage::sql
