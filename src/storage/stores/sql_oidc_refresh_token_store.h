#pragma once
#include <memory>

#include "oidc/token_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// RefreshTokenStore on oidc_refresh_tokens, for SQLite and PostgreSQL.
// Rotation is a conditional UPDATE (rotated_at IS NULL AND revoked_at IS
// NULL) and the successor's INSERT in one transaction: of two requests
// presenting the same token at once, one rotates, the other is told so.
class SqlOidcRefreshTokenStore final : public oidc::RefreshTokenStore {
public:
  explicit SqlOidcRefreshTokenStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}
  Result<void> insert(const oidc::RefreshToken& token) override;
  Result<oidc::RefreshToken> find(std::string_view token_hash) override;
  Result<bool> rotate(std::string_view old_hash, const oidc::RefreshToken& next, TimePoint now) override;
  Result<int> revoke_family(std::string_view family_id, TimePoint now) override;
  Result<std::vector<std::string>> revoke_by_code(std::string_view code_hash, TimePoint now) override;
  Result<std::vector<std::string>> revoke_for(AccountId account, std::string_view client_id, TimePoint now) override;
  Result<std::vector<std::string>> revoke_for_session(std::string_view sid, TimePoint now) override;
  Result<int> purge_expired(TimePoint now) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
