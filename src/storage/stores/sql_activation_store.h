#pragma once
#include <memory>

#include "flow/activation/activation_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// ActivationStore, written once for SQLite and PostgreSQL: every method is one
// transaction over one_time_tokens, accounts and outbox.
class SqlActivationStore final : public ActivationStore {
public:
  explicit SqlActivationStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

  Result<std::int64_t> issue(const TokenIssue& issue, TimePoint now) override;
  Result<void> complete_activation(std::string_view token_hash, AccountId account, std::string_view password_hash,
                                   TimePoint now) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
