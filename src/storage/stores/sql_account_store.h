#pragma once
#include <memory>

#include "account/account_store.h"
#include "common/clock.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// AccountStore on either backend. Identifier and email comparisons are
// lower(column) = lower(?), served by indexes on that very expression (SQLite
// 0014_case_insensitive_lookups, PostgreSQL 0001); never compares or rewrites
// password hashes itself beyond the compare-and-set in rehash_password.
class SqlAccountStore final : public AccountStore {
public:
  SqlAccountStore(std::shared_ptr<sql::Database> db, const Clock& clock);

  Result<Account> create(const Account& account) override;
  Result<std::vector<Account>> create_many(const std::vector<Account>& accounts) override;
  Result<Account> find_by_id(AccountId id) override;
  Result<Account> find_by_identifier(std::string_view identifier) override;
  Result<std::vector<Account>> find_by_email(std::string_view email) override;
  Result<std::vector<Account>> list(int limit, int offset) override;
  Result<std::vector<Account>> search(std::string_view text, int limit) override;
  Result<void> update_profile(const Account& account) override;
  Result<void> set_status(AccountId id, AccountStatus status) override;
  Result<void> set_role(AccountId id, Role role) override;
  Result<void> set_password(AccountId id, std::string_view hash,
                            std::optional<TimePoint> temporary_until) override;
  Result<void> rehash_password(AccountId id, std::string_view old_hash, std::string_view new_hash) override;
  Result<void> record_sign_in(AccountId id, TimePoint at) override;
  Result<int> count_active_with_role(Role role) override;

private:
  std::shared_ptr<sql::Database> db_;
  const Clock& clock_;
};

}  // namespace portier::storage
