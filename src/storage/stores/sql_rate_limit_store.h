#pragma once
#include <memory>

#include "storage/stores/store_support.h"
#include "throttle/rate_limit_store.h"

namespace portier::storage {

// RateLimitStore, written once for SQLite and PostgreSQL: one UPSERT … RETURNING per hit.
class SqlRateLimitStore final : public RateLimitStore {
public:
  explicit SqlRateLimitStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}
  Result<int> hit(std::string_view key, std::chrono::seconds window, TimePoint now) override;
  Result<std::optional<int>> take(std::string_view key, std::chrono::seconds window, int max, TimePoint now) override;
  Result<int> peek(std::string_view key, std::chrono::seconds window, TimePoint now) override;
  Result<int> purge(TimePoint before) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
