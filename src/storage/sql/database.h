#pragma once
// A pool of connections to one database, backend-neutral: the drivers
// (sqlite_driver.h, postgres_driver.h) give it a way to open a connection and
// to serialise migrations; stores borrow connections through Lease and run
// their composite operations through transaction().
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "common/result.h"
#include "storage/migrations.h"
#include "storage/sql/connection.h"
#include "storage/sql/group_commit.h"

namespace portier::storage::sql {

class Database {
public:
  using Opener = std::function<Result<std::unique_ptr<Connection>>()>;

  /// Opens `pool_size` connections with `open` (failing when the first one
  /// cannot be opened: a wrong address or password is said at start-up).
  static Result<std::shared_ptr<Database>> open(Dialect dialect, Opener open, int pool_size);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  const Dialect& dialect() const { return dialect_; }

  /// Borrows a connection, waiting while all are in use. A connection the
  /// driver reported broken is reopened here first; when that fails too, the
  /// lease's statements fail with Unavailable until the database is back.
  Lease acquire();
  /// The batching writer of this database (group_commit.h): small writes
  /// that many requests make at once (audit events, issued access tokens)
  /// share one durable commit. Returns once the caller's write is committed.
  Result<void> write_batched(GroupCommit::Write write) { return group_->run(std::move(write)); }
  GroupCommit::Stats batching_stats() const { return group_->stats(); }
  /// SELECT 1 on a pooled connection, for /readyz.
  Result<void> ping();
  /// Applies the migrations not yet recorded in schema_migrations, in order,
  /// each in its own transaction. Several nodes may call it at once: the
  /// driver's `lock` (PostgreSQL: an advisory lock; SQLite: the write lock of
  /// each migration's transaction) lets one apply and the others find them done.
  Result<int> migrate(const std::vector<Migration>& migrations);

private:
  friend class Lease;
  Database(Dialect dialect, Opener open)
      : dialect_(dialect), open_(std::move(open)), group_(std::make_unique<GroupCommit>(*this)) {}
  void give_back(std::unique_ptr<Connection> conn);

  Dialect dialect_;
  Opener open_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::unique_ptr<GroupCommit> group_;
};

/// Runs `fn()` (returning Result<T>) in a write transaction on `lease`,
/// rolling back when it fails. When PostgreSQL aborts it for a serialization
/// failure or a deadlock, the whole of `fn` runs again (at most 3 times):
/// `fn` must therefore do nothing outside the database that a retry repeats.
template <typename Fn>
auto transaction(Lease& lease, Fn&& fn) -> decltype(fn()) {
  auto& conn = lease.connection();
  for (int attempt = 1;; ++attempt) {
    if (auto begun = conn.begin(); !begun) return tl::unexpected(begun.error());
    auto result = fn();
    if (result) {
      auto committed = conn.commit();
      if (committed) return result;
      result = tl::unexpected(committed.error());
    }
    bool retry = conn.last_failure_retryable() && attempt < 3;
    conn.rollback();
    if (!retry) return result;
  }
}

}  // namespace portier::storage::sql
