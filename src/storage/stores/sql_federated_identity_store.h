#pragma once
#include <memory>

#include "flow/federation/federated_identity_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// FederatedIdentityStore, written once for SQLite and PostgreSQL
// (federated_identities). Linking is one INSERT guarded by the primary key
// (issuer, subject) and the unique (account_id, provider): of two concurrent
// links of one identity, or two identities of one provider for one account,
// one wins and the others get Conflict from the database itself.
class SqlFederatedIdentityStore final : public FederatedIdentityStore {
public:
  explicit SqlFederatedIdentityStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

  Result<FederatedLink> find(std::string_view issuer, std::string_view subject) override;
  Result<void> link(const FederatedLink& link) override;
  Result<void> touch(std::string_view issuer, std::string_view subject, TimePoint at) override;
  Result<std::vector<FederatedLink>> list_for_account(AccountId account) override;
  Result<bool> unlink(AccountId account, std::string_view provider) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
