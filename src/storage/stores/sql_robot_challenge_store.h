#pragma once
#include <memory>

#include "robot/robot_check.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// RobotChallengeStore, written once for SQLite and PostgreSQL. Spending is one
// INSERT that the primary key lets succeed once; it never reads before writing.
class SqlRobotChallengeStore final : public RobotChallengeStore {
public:
  explicit SqlRobotChallengeStore(std::shared_ptr<sql::Database> db);

  Result<bool> spend(std::string_view challenge_hash, TimePoint expires_at) override;
  Result<int> purge_expired(TimePoint now) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
