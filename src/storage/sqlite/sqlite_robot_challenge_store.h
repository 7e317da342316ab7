#pragma once
#include <memory>

#include "robot/robot_check.h"
#include "storage/sqlite/database.h"

namespace portier::storage::sqlite {

// RobotChallengeStore on SQLite. Spending is one INSERT that the primary key
// lets succeed once; it never reads before writing.
class SqliteRobotChallengeStore final : public RobotChallengeStore {
public:
  explicit SqliteRobotChallengeStore(std::shared_ptr<Database> db);

  Result<bool> spend(std::string_view challenge_hash, TimePoint expires_at) override;
  Result<int> purge_expired(TimePoint now) override;

private:
  std::shared_ptr<Database> db_;
};

}  // namespace portier::storage::sqlite
