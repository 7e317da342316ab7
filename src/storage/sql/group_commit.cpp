#include "storage/sql/group_commit.h"

#include "storage/sql/database.h"

namespace portier::storage::sql {

Result<void> GroupCommit::run(Write write) {
  Pending me{std::move(write), std::nullopt};
  std::unique_lock lock(mutex_);
  queue_.push_back(&me);
  // Wait while another caller leads, unless that batch carried this write.
  done_.wait(lock, [&] { return me.result.has_value() || !leading_; });
  while (!me.result) {
    // Lead: take what is queued (this write among it, unless a batch was
    // full), commit it outside the lock so that the next batch can gather.
    leading_ = true;
    std::vector<Pending*> batch;
    if (queue_.size() <= max_batch_) {
      batch.swap(queue_);
    } else {
      batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(max_batch_));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(max_batch_));
    }
    lock.unlock();
    commit(batch);
    lock.lock();
    stats_.writes += batch.size();
    stats_.batches += 1;
    leading_ = false;
    done_.notify_all();
  }
  return std::move(*me.result);
}

void GroupCommit::commit(std::vector<Pending*>& batch) {
  auto lease = db_.acquire();
  auto together = transaction(lease, [&]() -> Result<void> {
    for (auto* p : batch)
      if (auto r = p->write(lease); !r) return r;
    return {};
  });
  if (together) {
    for (auto* p : batch) p->result.emplace();
    return;
  }
  if (batch.size() == 1) {
    batch.front()->result = std::move(together);
    return;
  }
  // One write (or the commit) failed: each on its own, for its own outcome.
  for (auto* p : batch) p->result = transaction(lease, [&] { return p->write(lease); });
}

GroupCommit::Stats GroupCommit::stats() const {
  std::lock_guard lock(mutex_);
  Stats s = stats_;
  s.queued = queue_.size();
  return s;
}

}  // namespace portier::storage::sql
