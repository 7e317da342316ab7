#include "storage/stores/sql_oidc_refresh_token_store.h"

#include "oidc/scope.h"

namespace portier::storage {

namespace {

constexpr const char* kColumns =
    "token_hash, family_id, client_id, account_id, sid, scopes, auth_time, amr, acr, code_hash, created_at,"
    " expires_at, family_expires_at, rotated_at, replaced_by, revoked_at";

oidc::RefreshToken read(const Statement& s) {
  oidc::RefreshToken t;
  t.token_hash = s.text(0);
  t.family_id = s.text(1);
  t.client_id = s.text(2);
  t.account_id = s.int64(3);
  t.sid = s.text(4);
  t.scopes = oidc::split_words(s.text(5));
  t.auth_time = s.time(6);
  t.amr = oidc::split_words(s.text(7));
  t.acr = s.text(8);
  t.code_hash = s.text(9);
  t.created_at = s.time(10);
  t.expires_at = s.time(11);
  t.family_expires_at = s.time(12);
  t.rotated_at = s.optional_time(13);
  t.replaced_by = s.optional_text(14);
  t.revoked_at = s.optional_time(15);
  return t;
}

Result<int> insert_row(Lease& lease, const oidc::RefreshToken& t) {
  return lease.run(
      std::string("INSERT INTO oidc_refresh_tokens (") + kColumns +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      t.token_hash, t.family_id, t.client_id, t.account_id, t.sid, oidc::join_words(t.scopes), t.auth_time,
      oidc::join_words(t.amr), t.acr, t.code_hash, t.created_at, t.expires_at, t.family_expires_at, t.rotated_at,
      t.replaced_by, t.revoked_at);
}

// Revokes the live tokens of every family the WHERE clause selects and
// answers those families, in one transaction.
template <typename... Args>
Result<std::vector<std::string>> revoke_families_where(sql::Database& db, const std::string& where, TimePoint now,
                                                       const Args&... args) {
  auto lease = db.acquire();
  return transaction(lease, [&]() -> Result<std::vector<std::string>> {
    auto families = read_rows(
        lease.query("SELECT DISTINCT family_id FROM oidc_refresh_tokens WHERE revoked_at IS NULL AND " + where,
                    args...),
        [](const Statement& s) { return s.text(0); });
    if (!families) return families;
    for (auto& f : *families) {
      auto done = lease.run("UPDATE oidc_refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                            now, f);
      if (!done) return tl::unexpected(done.error());
    }
    return families;
  });
}

}  // namespace

Result<void> SqlOidcRefreshTokenStore::insert(const oidc::RefreshToken& token) {
  auto lease = db_->acquire();
  auto done = insert_row(lease, token);
  if (!done) return tl::unexpected(done.error());
  return {};
}

Result<oidc::RefreshToken> SqlOidcRefreshTokenStore::find(std::string_view token_hash) {
  auto lease = db_->acquire();
  auto rows = read_rows(
      lease.query(std::string("SELECT ") + kColumns + " FROM oidc_refresh_tokens WHERE token_hash = ?", token_hash),
      read);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::NotFound, "refresh token not found");
  return std::move(rows->front());
}

Result<bool> SqlOidcRefreshTokenStore::rotate(std::string_view old_hash, const oidc::RefreshToken& next,
                                              TimePoint now) {
  auto lease = db_->acquire();
  auto done = transaction(lease, [&]() -> Result<bool> {
    auto claimed = lease.run(
        "UPDATE oidc_refresh_tokens SET rotated_at = ?, replaced_by = ?"
        " WHERE token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL",
        now, next.token_hash, old_hash);
    if (!claimed) return tl::unexpected(claimed.error());
    if (*claimed != 1) return fail(ErrorCode::Conflict, "already rotated");
    auto inserted = insert_row(lease, next);
    if (!inserted) return tl::unexpected(inserted.error());
    return true;
  });
  if (!done && done.error().code == ErrorCode::Conflict) return false;
  return done;
}

Result<int> SqlOidcRefreshTokenStore::revoke_family(std::string_view family_id, TimePoint now) {
  auto lease = db_->acquire();
  return lease.run("UPDATE oidc_refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL", now,
                   family_id);
}

Result<std::vector<std::string>> SqlOidcRefreshTokenStore::revoke_by_code(std::string_view code_hash, TimePoint now) {
  return revoke_families_where(*db_, "code_hash = ?", now, code_hash);
}

Result<std::vector<std::string>> SqlOidcRefreshTokenStore::revoke_for(AccountId account, std::string_view client_id,
                                                                      TimePoint now) {
  return revoke_families_where(*db_, "account_id = ? AND client_id = ?", now, account, client_id);
}

Result<std::vector<std::string>> SqlOidcRefreshTokenStore::revoke_for_session(std::string_view sid, TimePoint now) {
  // Spaces around the list make the word test exact on both dialects.
  return revoke_families_where(*db_, "sid = ? AND (' ' || scopes || ' ') NOT LIKE '% offline_access %'", now, sid);
}

Result<int> SqlOidcRefreshTokenStore::purge_expired(TimePoint now) {
  auto lease = db_->acquire();
  // A whole family goes at once when its newest token is past use: keeping
  // the rotated ones until then is what recognises their reuse.
  return lease.run(
      "DELETE FROM oidc_refresh_tokens WHERE family_id IN (SELECT family_id FROM oidc_refresh_tokens"
      " GROUP BY family_id HAVING MAX(expires_at) <= ? OR MIN(family_expires_at) <= ?"
      " OR MIN(COALESCE(revoked_at, ?)) < ?)",
      now, now, now, now - std::chrono::hours(24));
}

}  // namespace portier::storage
