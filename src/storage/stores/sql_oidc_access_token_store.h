#pragma once
#include <memory>

#include "oidc/token_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// AccessTokenStore on oidc_access_tokens, for SQLite and PostgreSQL. The
// inserts go through the database's group commit (sql/group_commit.h): the
// grants of many concurrent requests share one durable commit.
class SqlOidcAccessTokenStore final : public oidc::AccessTokenStore {
public:
  explicit SqlOidcAccessTokenStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}
  Result<void> insert(const oidc::AccessTokenRecord& token) override;
  Result<void> insert(const oidc::AccessTokenRecord& token, const AuditEvent& event) override;
  Result<oidc::AccessTokenRecord> find(std::string_view token_key) override;
  Result<int> revoke(std::string_view token_key, TimePoint now) override;
  Result<int> revoke_families(const std::vector<std::string>& family_ids, TimePoint now) override;
  Result<int> revoke_by_code(std::string_view code_hash, TimePoint now) override;
  Result<int> revoke_for(AccountId account, std::string_view client_id, TimePoint now) override;
  Result<int> purge_expired(TimePoint now) override;

private:
  std::shared_ptr<sql::Database> db_;
};

// AssertionReplayCache on oidc_assertion_jtis: the primary key (client_id,
// jti) makes the insert itself the check, across nodes.
class SqlAssertionReplayCache final : public oidc::AssertionReplayCache {
public:
  explicit SqlAssertionReplayCache(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}
  Result<bool> remember(std::string_view client_id, std::string_view jti, TimePoint expires_at) override;
  Result<int> purge_expired(TimePoint now) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
