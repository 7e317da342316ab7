#include "storage/stores/sql_consent_store.h"

#include "oidc/scope.h"

namespace portier::storage {

namespace {

using oidc::Consent;

constexpr const char* kColumns =
    "SELECT c.account_id, c.client_id, c.scopes, c.implicit, c.granted_at, c.last_used_at, k.name"
    " FROM oidc_consents c JOIN oidc_clients k ON k.client_id = c.client_id ";

Consent read_consent(const Statement& row) {
  Consent c;
  c.account_id = row.int64(0);
  c.client_id = row.text(1);
  c.scopes = oidc::split_words(row.text(2));
  c.implicit = row.int64(3) != 0;
  c.granted_at = row.time(4);
  c.last_used_at = row.time(5);
  c.client_name = row.text(6);
  return c;
}

}  // namespace

Result<Consent> SqlConsentStore::find(AccountId account, std::string_view client_id) {
  auto lease = db_->acquire();
  auto rows = read_rows(lease.query(std::string(kColumns) + "WHERE c.account_id = ? AND c.client_id = ?", account,
                                    client_id),
                        read_consent);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::NotFound, "no consent");
  return std::move(rows->front());
}

Result<void> SqlConsentStore::grant(const Consent& c) {
  auto lease = db_->acquire();
  auto done = lease.run(
      "INSERT INTO oidc_consents (account_id, client_id, scopes, implicit, granted_at, last_used_at)"
      " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, client_id) DO UPDATE SET scopes = excluded.scopes,"
      " implicit = excluded.implicit, granted_at = excluded.granted_at, last_used_at = excluded.last_used_at",
      c.account_id, c.client_id, oidc::join_words(c.scopes), c.implicit ? 1 : 0, c.granted_at, c.granted_at);
  if (!done) return tl::unexpected(done.error());
  return {};
}

Result<void> SqlConsentStore::touch(AccountId account, std::string_view client_id, TimePoint at) {
  auto lease = db_->acquire();
  return require_change(lease.run("UPDATE oidc_consents SET last_used_at = ? WHERE account_id = ? AND client_id = ?",
                                  at, account, client_id),
                        "consent");
}

Result<std::vector<Consent>> SqlConsentStore::list_for_account(AccountId account) {
  auto lease = db_->acquire();
  return read_rows(
      lease.query(std::string(kColumns) + "WHERE c.account_id = ? ORDER BY c.last_used_at DESC, k.name", account),
      read_consent);
}

Result<bool> SqlConsentStore::revoke(AccountId account, std::string_view client_id) {
  auto lease = db_->acquire();
  auto deleted = lease.run("DELETE FROM oidc_consents WHERE account_id = ? AND client_id = ?", account, client_id);
  if (!deleted) return tl::unexpected(deleted.error());
  return *deleted > 0;
}

}  // namespace portier::storage
