#pragma once
#include <memory>

#include "oidc/consent_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// ConsentStore, written once for SQLite and PostgreSQL (oidc_consents). A
// grant is one upsert on the (account, client) key, so two tabs consenting
// at once leave one row.
class SqlConsentStore final : public oidc::ConsentStore {
public:
  explicit SqlConsentStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

  Result<oidc::Consent> find(AccountId account, std::string_view client_id) override;
  Result<void> grant(const oidc::Consent& consent) override;
  Result<void> touch(AccountId account, std::string_view client_id, TimePoint at) override;
  Result<std::vector<oidc::Consent>> list_for_account(AccountId account) override;
  Result<bool> revoke(AccountId account, std::string_view client_id) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
