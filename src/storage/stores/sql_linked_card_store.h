#pragma once
#include <memory>

#include "flow/card/linked_card_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// LinkedCardStore, written once for SQLite and PostgreSQL (linked_cards).
// Linking is one INSERT on the certificate's hash (the primary key): of two
// concurrent links of one card, one wins and the other gets Conflict.
class SqlLinkedCardStore final : public LinkedCardStore {
public:
  explicit SqlLinkedCardStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

  Result<LinkedCard> find(std::string_view sha256) override;
  Result<void> link(const LinkedCard& card) override;
  Result<void> touch(std::string_view sha256, TimePoint at) override;
  Result<std::vector<LinkedCard>> list_for_account(AccountId account) override;
  Result<bool> unlink(AccountId account, std::string_view sha256) override;
  Result<std::vector<AccountId>> accounts_with_rpps(std::string_view rpps) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
