#pragma once
// Group commit: many requests' small writes made durable by one commit.
//
// A durable commit costs an fsync (SQLite, synchronous = FULL) or a WAL
// flush and a round trip (PostgreSQL); with one commit per write, a busy
// endpoint spends its time waiting for the disk, one request after another.
// Here the first caller to arrive while no batch is being written becomes
// the leader: it takes every write queued so far (its own included), runs
// them in ONE transaction, commits, and hands each caller its result. The
// writes that arrive meanwhile queue up and form the next batch: the busier
// the server, the bigger the batches, with no timer and no added delay when
// it is idle (a lone write is a batch of one).
//
// Durability is unchanged: run() returns only once the caller's write is
// committed (or has failed), so nothing is acknowledged before it is on disk.
// A write that fails does not sink its batch: the batch is rolled back and
// each of its writes runs again in a transaction of its own, so every caller
// gets the outcome its write would have had alone.
//
// Writes must be pure database work (no side effects outside the lease): a
// write may run twice (PostgreSQL retry, or the fallback above).
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "common/result.h"
#include "storage/sql/connection.h"

namespace portier::storage::sql {

class Database;

class GroupCommit {
public:
  using Write = std::function<Result<void>(Lease&)>;
  struct Stats {
    std::size_t writes = 0;   // writes committed or failed
    std::size_t batches = 0;  // transactions that carried them
    std::size_t queued = 0;   // writes waiting for the next batch now
  };

  explicit GroupCommit(Database& db, std::size_t max_batch = 256) : db_(db), max_batch_(max_batch) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  /// Runs `write` in the next batch; returns once that batch is committed.
  Result<void> run(Write write);
  Stats stats() const;

private:
  struct Pending {
    Write write;
    std::optional<Result<void>> result;
  };
  void commit(std::vector<Pending*>& batch);

  Database& db_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable done_;
  std::vector<Pending*> queue_;
  bool leading_ = false;
  Stats stats_;
};

}  // namespace portier::storage::sql
