#pragma once
#include <memory>

#include "credential/totp_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// TotpStore, written once for SQLite and PostgreSQL (totp_credentials,
// totp_recovery_codes). The rules that must hold under concurrency (a step used
// once, a recovery code spent once) are each one conditional UPDATE, never
// read-then-write.
class SqlTotpStore final : public TotpStore {
public:
  explicit SqlTotpStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

  Result<void> save_pending(AccountId account, std::string_view pending_box, TimePoint at) override;
  Result<void> clear_pending(AccountId account) override;
  Result<TotpCredential> find(AccountId account) override;
  Result<void> confirm(AccountId account, std::string_view pending_box, std::int64_t step, TimePoint now,
                       const std::vector<std::string>& recovery_hashes) override;
  Result<bool> claim_step(AccountId account, std::int64_t step) override;
  Result<void> replace_recovery_codes(AccountId account, const std::vector<std::string>& hashes) override;
  Result<bool> use_recovery_code(AccountId account, std::string_view hash, TimePoint now) override;
  Result<int> count_recovery_codes(AccountId account) override;
  Result<void> remove(AccountId account) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
