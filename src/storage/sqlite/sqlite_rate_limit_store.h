#pragma once
#include <memory>

#include "storage/sqlite/database.h"
#include "throttle/rate_limit_store.h"

namespace portier::storage::sqlite {

// RateLimitStore on SQLite: one UPSERT … RETURNING per hit.
class SqliteRateLimitStore final : public RateLimitStore {
public:
  explicit SqliteRateLimitStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  Result<int> hit(std::string_view key, std::chrono::seconds window, TimePoint now) override;
  Result<std::optional<int>> take(std::string_view key, std::chrono::seconds window, int max, TimePoint now) override;
  Result<int> peek(std::string_view key, std::chrono::seconds window, TimePoint now) override;
  Result<int> purge(TimePoint before) override;

private:
  std::shared_ptr<Database> db_;
};

}  // namespace portier::storage::sqlite
