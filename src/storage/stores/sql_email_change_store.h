#pragma once
#include <memory>

#include "flow/email_change/email_change_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// EmailChangeStore, written once for SQLite and PostgreSQL: every method is one
// transaction over flows, one_time_tokens, accounts, sessions and outbox.
class SqlEmailChangeStore final : public EmailChangeStore {
public:
  explicit SqlEmailChangeStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

  Result<void> start(const FlowEnvelope& flow, const std::vector<OneTimeToken>& tokens,
                     const std::vector<OutboundMessage>& messages) override;
  Result<OneTimeToken> find_token(std::string_view hash) override;
  Result<int> complete(const FlowEnvelope& flow, std::string_view pending_state, std::string_view token_hash,
                       std::string_view new_email, std::string_view keep_session_hash, TimePoint now,
                       const std::vector<OutboundMessage>& notices) override;
  Result<void> cancel(const FlowEnvelope& flow, std::string_view pending_state, std::string_view token_hash,
                      TimePoint now) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
