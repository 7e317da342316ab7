#include "storage/stores/sql_robot_challenge_store.h"

namespace portier::storage {

SqlRobotChallengeStore::SqlRobotChallengeStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

Result<bool> SqlRobotChallengeStore::spend(std::string_view challenge_hash, TimePoint expires_at) {
  auto lease = db_->acquire();
  // No SELECT first: of two racing submissions of one solution, the primary
  // key lets exactly one insert a row; the other changes 0 rows (a replay).
  auto inserted = lease.run(
      "INSERT INTO spent_robot_challenges (challenge_hash, expires_at) VALUES (?, ?)"
      " ON CONFLICT (challenge_hash) DO NOTHING",
      challenge_hash, expires_at);
  if (!inserted) return tl::unexpected(inserted.error());
  return *inserted == 1;
}

Result<int> SqlRobotChallengeStore::purge_expired(TimePoint now) {
  auto lease = db_->acquire();
  // A challenge past its expiry is refused as Expired before the store is
  // asked, so forgetting it cannot reopen a replay.
  return lease.run("DELETE FROM spent_robot_challenges WHERE expires_at <= ?", now);
}

}  // namespace portier::storage
