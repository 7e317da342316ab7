#pragma once
#include <memory>

#include "flow/federation/federated_account_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// FederatedAccountStore, written once for SQLite and PostgreSQL (accounts and
// federated_identities). One transaction checks that neither the identity,
// the RPPS nor the address is in use, inserts the account, then the link:
// any conflict rolls the account back with it. Concurrent creations are
// serialised: SQLite's BEGIN IMMEDIATE takes the write lock; PostgreSQL
// (READ COMMITTED, where two transactions could both see "unused") takes a
// transaction-scoped advisory lock first. Rare (a person's first visit), so
// the serialisation costs nothing that matters.
class SqlFederatedAccountStore final : public FederatedAccountStore {
public:
  SqlFederatedAccountStore(std::shared_ptr<sql::Database> db, const Clock& clock)
      : db_(std::move(db)), clock_(clock) {}

  Result<Account> create_linked(const Account& account, const FederatedLink& link) override;

private:
  std::shared_ptr<sql::Database> db_;
  const Clock& clock_;
};

}  // namespace portier::storage
