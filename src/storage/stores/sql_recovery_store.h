#pragma once
#include <memory>

#include "flow/recovery/recovery_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// One row of one_time_tokens by its keyed hash (every flow's links and
// codes live there); NotFound when absent.
Result<OneTimeToken> find_one_time_token(Lease& lease, std::string_view hash);

// RecoveryStore, written once for SQLite and PostgreSQL: every method is one
// transaction over flows, one_time_tokens, accounts, sessions and outbox.
class SqlRecoveryStore final : public RecoveryStore {
public:
  explicit SqlRecoveryStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

  Result<std::vector<std::int64_t>> save(const FlowEnvelope& flow, std::string_view expected_state,
                                         const std::vector<TokenIssue>& issues,
                                         const std::vector<OutboundMessage>& notices) override;
  Result<OneTimeToken> find_token(std::string_view hash) override;
  Result<std::int64_t> complete_reset(std::string_view token_hash, AccountId account, std::string_view new_hash,
                                      TimePoint now, const OutboundMessage& notice) override;
  Result<int> purge_expired(TimePoint now) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
