// The group commit (storage/sql/group_commit.h) on every backend: writes
// from many threads at once all land, share transactions, and one failing
// write gets its own error without costing the others theirs.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "contract/sql_backends.h"

namespace portier::contract {
namespace {

using storage::sql::Database;
using storage::sql::Lease;

class GroupCommitContract : public ::testing::TestWithParam<SqlBackend> {
protected:
  void SetUp() override {
    db_ = GetParam().open(4);
    auto lease = db_->acquire();
    ASSERT_TRUE(lease.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL)"));
  }
  Result<void> insert(std::int64_t id) {
    return db_->write_batched([id](Lease& lease) -> Result<void> {
      auto n = lease.run("INSERT INTO items (id, name) VALUES (?1, ?2)", id, "item " + std::to_string(id));
      if (!n) return tl::unexpected(n.error());
      return {};
    });
  }
  std::int64_t count() {
    auto lease = db_->acquire();
    auto stmt = lease.query("SELECT COUNT(*) FROM items");
    EXPECT_TRUE(stmt && stmt->step().value());
    return stmt->int64(0);
  }
  std::shared_ptr<Database> db_;
};

TEST_P(GroupCommitContract, ALoneWriteIsCommittedAtOnce) {
  ASSERT_TRUE(insert(1));
  EXPECT_EQ(count(), 1);  // visible on another connection: committed
  EXPECT_EQ(db_->batching_stats().writes, 1u);
  EXPECT_EQ(db_->batching_stats().batches, 1u);
}

TEST_P(GroupCommitContract, ConcurrentWritesAllLandInFewerTransactions) {
  constexpr int kThreads = 16;
  constexpr int kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i)
        if (!insert(t * 1000 + i)) ++failures;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(count(), kThreads * kEach);
  EXPECT_EQ(db_->batching_stats().writes, std::size_t(kThreads * kEach));
}

TEST_P(GroupCommitContract, WritesQueuedDuringACommitShareTheNextOne) {
  constexpr int kOthers = 7;
  // The first write holds its batch open until the others are all queued
  // behind it: they must then go out together, in one more transaction.
  std::atomic<bool> inside{false};
  std::thread leader([&] {
    auto r = db_->write_batched([&](Lease& lease) -> Result<void> {
      inside = true;
      while (db_->batching_stats().queued < kOthers) std::this_thread::yield();
      auto n = lease.run("INSERT INTO items (id, name) VALUES (0, 'leader')");
      if (!n) return tl::unexpected(n.error());
      return {};
    });
    EXPECT_TRUE(r);
  });
  while (!inside) std::this_thread::yield();
  std::vector<std::thread> others;
  for (int t = 1; t <= kOthers; ++t) others.emplace_back([&, t] { EXPECT_TRUE(insert(t)); });
  leader.join();
  for (auto& t : others) t.join();
  EXPECT_EQ(count(), 1 + kOthers);
  auto stats = db_->batching_stats();
  EXPECT_EQ(stats.writes, std::size_t(1 + kOthers));
  EXPECT_EQ(stats.batches, 2u);
}

TEST_P(GroupCommitContract, AFailingWriteFailsAloneInItsBatch) {
  ASSERT_TRUE(insert(42));
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::vector<Result<void>> results(kThreads);
  // Thread 0 repeats id 42 (a conflict); the others write fresh ids.
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] { results[t] = insert(t == 0 ? 42 : 100 + t); });
  for (auto& t : threads) t.join();
  ASSERT_FALSE(results[0]);
  EXPECT_EQ(results[0].error().code, ErrorCode::Conflict);
  for (int t = 1; t < kThreads; ++t) EXPECT_TRUE(results[t]) << t << ": " << results[t].error().detail;
  EXPECT_EQ(count(), 1 + kThreads - 1);
}

TEST_P(GroupCommitContract, AWriteThatFailsLeavesNothingOfItself) {
  auto r = db_->write_batched([](Lease& lease) -> Result<void> {
    if (auto n = lease.run("INSERT INTO items (id, name) VALUES (1, 'first')"); !n) return tl::unexpected(n.error());
    return fail(ErrorCode::Internal, "the second half failed");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail, "the second half failed");
  EXPECT_EQ(count(), 0);  // the first half was rolled back with it
}

INSTANTIATE_TEST_SUITE_P(Backends, GroupCommitContract, ::testing::ValuesIn(sql_backends()), sql_backend_name);

}  // namespace
}  // namespace portier::contract
