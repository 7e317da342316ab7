#pragma once
#include <memory>

#include "oidc/token_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// CodeStore on oidc_codes, for SQLite and PostgreSQL. The grant is kept as
// JSON (its lists and optional claims change with the protocol, the columns
// that the database itself filters on do not).
class SqlOidcCodeStore final : public oidc::CodeStore {
public:
  explicit SqlOidcCodeStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}
  Result<void> insert(std::string_view code_hash, const oidc::CodeGrant& grant, TimePoint created_at,
                      TimePoint expires_at) override;
  Result<oidc::RedeemedCode> redeem(std::string_view code_hash, TimePoint now) override;
  Result<int> purge_expired(TimePoint now) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
