#include "storage/stores/sql_federated_identity_store.h"

namespace portier::storage {

namespace {

constexpr const char* kColumns =
    "SELECT provider, issuer, subject, account_id, person_id, display_name, linked_at, last_used_at"
    " FROM federated_identities ";

FederatedLink read_link(const Statement& row) {
  FederatedLink l;
  l.provider = row.text(0);
  l.issuer = row.text(1);
  l.subject = row.text(2);
  l.account_id = row.int64(3);
  l.person_id = row.text(4);
  l.display_name = row.text(5);
  l.linked_at = row.time(6);
  l.last_used_at = row.optional_time(7);
  return l;
}

}  // namespace

Result<FederatedLink> SqlFederatedIdentityStore::find(std::string_view issuer, std::string_view subject) {
  auto lease = db_->acquire();
  auto rows = read_rows(lease.query(std::string(kColumns) + "WHERE issuer = ? AND subject = ?", issuer, subject),
                        read_link);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::NotFound, "identity not linked");
  return std::move(rows->front());
}

Result<void> SqlFederatedIdentityStore::link(const FederatedLink& l) {
  auto lease = db_->acquire();
  auto done = lease.run(
      "INSERT INTO federated_identities (provider, issuer, subject, account_id, person_id, display_name, linked_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)",
      l.provider, l.issuer, l.subject, l.account_id, l.person_id, l.display_name, l.linked_at);
  if (!done) return tl::unexpected(done.error());
  return {};
}

Result<void> SqlFederatedIdentityStore::touch(std::string_view issuer, std::string_view subject, TimePoint at) {
  auto lease = db_->acquire();
  return require_change(
      lease.run("UPDATE federated_identities SET last_used_at = ? WHERE issuer = ? AND subject = ?", at, issuer,
                subject),
      "federated identity");
}

Result<std::vector<FederatedLink>> SqlFederatedIdentityStore::list_for_account(AccountId account) {
  auto lease = db_->acquire();
  return read_rows(
      lease.query(std::string(kColumns) + "WHERE account_id = ? ORDER BY linked_at DESC, provider", account),
      read_link);
}

Result<bool> SqlFederatedIdentityStore::unlink(AccountId account, std::string_view provider) {
  auto lease = db_->acquire();
  auto deleted = lease.run("DELETE FROM federated_identities WHERE account_id = ? AND provider = ?", account, provider);
  if (!deleted) return tl::unexpected(deleted.error());
  return *deleted > 0;
}

}  // namespace portier::storage
