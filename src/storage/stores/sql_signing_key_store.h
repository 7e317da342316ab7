#pragma once
#include <memory>

#include "oidc/signing_key_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// SigningKeyStore, written once for SQLite and PostgreSQL (oidc_signing_keys).
// "One active and one next key per algorithm" is the partial unique index
// oidc_signing_keys_one_per_slot; inserts into a taken slot do nothing, and a
// rotation is a transaction of conditional UPDATEs, so of two nodes rotating
// at once exactly one changes anything.
class SqlSigningKeyStore final : public oidc::SigningKeyStore {
public:
  explicit SqlSigningKeyStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

  Result<std::vector<oidc::StoredSigningKey>> list() override;
  Result<bool> insert_if_free(const oidc::StoredSigningKey& key) override;
  Result<bool> rotate(std::string_view active_kid, std::string_view next_kid, const oidc::StoredSigningKey& new_next,
                      TimePoint now) override;
  Result<int> delete_retired(TimePoint cutoff) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
