#pragma once
#include <memory>

#include "oidc/client_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// ClientStore, written once for SQLite and PostgreSQL (oidc_clients). Lists
// are stored as JSON arrays of strings (migration 0017 / postgres 0006).
class SqlClientStore final : public oidc::ClientStore {
public:
  explicit SqlClientStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

  Result<void> create(const oidc::Client& client) override;
  Result<oidc::Client> find(std::string_view client_id) override;
  Result<std::vector<oidc::Client>> list() override;
  Result<void> update(const oidc::Client& client) override;
  Result<void> set_secret(std::string_view client_id, std::string_view secret_hash, TimePoint at) override;
  Result<void> remove(std::string_view client_id) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
