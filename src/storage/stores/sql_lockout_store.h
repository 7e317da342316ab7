#pragma once
#include <memory>

#include "storage/stores/store_support.h"
#include "throttle/lockout_store.h"

namespace portier::storage {

// LockoutStore on either backend: each method is one transaction. The claim
// reads, decides and writes its counters with their rows locked (SQLite:
// BEGIN IMMEDIATE takes the one write lock; PostgreSQL: the rows are created
// if missing, then locked FOR UPDATE in key order), so parallel attempts on
// any number of nodes are counted one after the other.
class SqlLockoutStore final : public LockoutStore {
public:
  explicit SqlLockoutStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

  Result<AttemptClaim> claim(const std::vector<LockoutRule>& rules, TimePoint now) override;
  Result<std::vector<std::string>> record_failure(const std::vector<LockoutRule>& rules, TimePoint now) override;
  Result<void> record_success(const std::vector<std::string>& keys) override;
  Result<int> clear_account(AccountId account) override;
  Result<std::vector<LockoutState>> for_account(AccountId account) override;
  Result<int> purge(TimePoint before) override;

private:
  std::shared_ptr<sql::Database> db_;
};

/// Inside a caller's transaction: forgets every counter of the account (the
/// recovery store lifts a suspension in the same transaction as the reset).
Result<void> clear_lockouts(Lease& lease, AccountId account);

}  // namespace portier::storage
