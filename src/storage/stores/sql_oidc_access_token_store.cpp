#include "storage/stores/sql_oidc_access_token_store.h"

#include "oidc/scope.h"
#include "storage/stores/sql_audit_store.h"

namespace portier::storage {

namespace {

constexpr const char* kColumns =
    "token_key, format, client_id, account_id, sid, scopes, audience, auth_time, amr, acr, family_id, code_hash,"
    " created_at, expires_at, revoked_at";

oidc::AccessTokenRecord read(const Statement& s) {
  oidc::AccessTokenRecord t;
  t.token_key = s.text(0);
  t.jwt = s.text(1) == "jwt";
  t.client_id = s.text(2);
  t.account_id = s.optional_int64(3);
  t.sid = s.text(4);
  t.scopes = oidc::split_words(s.text(5));
  t.audience = s.text(6);
  t.auth_time = s.optional_time(7);
  t.amr = oidc::split_words(s.text(8));
  t.acr = s.text(9);
  t.family_id = s.text(10);
  t.code_hash = s.text(11);
  t.created_at = s.time(12);
  t.expires_at = s.time(13);
  t.revoked_at = s.optional_time(14);
  return t;
}

Result<void> insert_token(Lease& lease, const oidc::AccessTokenRecord& t) {
  auto done = lease.run(std::string("INSERT INTO oidc_access_tokens (") + kColumns +
                            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        t.token_key, t.jwt ? "jwt" : "opaque", t.client_id, t.account_id, t.sid,
                        oidc::join_words(t.scopes), t.audience, t.auth_time, oidc::join_words(t.amr), t.acr,
                        t.family_id, t.code_hash, t.created_at, t.expires_at, t.revoked_at);
  if (!done) return tl::unexpected(done.error());
  return {};
}

}  // namespace

Result<void> SqlOidcAccessTokenStore::insert(const oidc::AccessTokenRecord& t) {
  return db_->write_batched([&](Lease& lease) { return insert_token(lease, t); });
}

Result<void> SqlOidcAccessTokenStore::insert(const oidc::AccessTokenRecord& t, const AuditEvent& event) {
  return db_->write_batched([&](Lease& lease) -> Result<void> {
    if (auto done = insert_token(lease, t); !done) return done;
    return insert_audit_event(lease, event);
  });
}

Result<oidc::AccessTokenRecord> SqlOidcAccessTokenStore::find(std::string_view token_key) {
  auto lease = db_->acquire();
  auto rows = read_rows(
      lease.query(std::string("SELECT ") + kColumns + " FROM oidc_access_tokens WHERE token_key = ?", token_key), read);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::NotFound, "access token not found");
  return std::move(rows->front());
}

Result<int> SqlOidcAccessTokenStore::revoke(std::string_view token_key, TimePoint now) {
  auto lease = db_->acquire();
  return lease.run("UPDATE oidc_access_tokens SET revoked_at = ? WHERE token_key = ? AND revoked_at IS NULL", now,
                   token_key);
}

Result<int> SqlOidcAccessTokenStore::revoke_families(const std::vector<std::string>& family_ids, TimePoint now) {
  auto lease = db_->acquire();
  int total = 0;
  for (auto& f : family_ids) {
    if (f.empty()) continue;
    auto n = lease.run("UPDATE oidc_access_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL", now,
                       f);
    if (!n) return n;
    total += *n;
  }
  return total;
}

Result<int> SqlOidcAccessTokenStore::revoke_by_code(std::string_view code_hash, TimePoint now) {
  if (code_hash.empty()) return 0;
  auto lease = db_->acquire();
  return lease.run("UPDATE oidc_access_tokens SET revoked_at = ? WHERE code_hash = ? AND revoked_at IS NULL", now,
                   code_hash);
}

Result<int> SqlOidcAccessTokenStore::revoke_for(AccountId account, std::string_view client_id, TimePoint now) {
  auto lease = db_->acquire();
  return lease.run(
      "UPDATE oidc_access_tokens SET revoked_at = ? WHERE account_id = ? AND client_id = ? AND revoked_at IS NULL",
      now, account, client_id);
}

Result<int> SqlOidcAccessTokenStore::purge_expired(TimePoint now) {
  auto lease = db_->acquire();
  return lease.run("DELETE FROM oidc_access_tokens WHERE expires_at <= ?", now);
}

Result<bool> SqlAssertionReplayCache::remember(std::string_view client_id, std::string_view jti, TimePoint expires_at) {
  auto lease = db_->acquire();
  auto n = lease.run("INSERT INTO oidc_assertion_jtis (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                     client_id, jti, expires_at);
  if (!n) return tl::unexpected(n.error());
  return *n == 1;
}

Result<int> SqlAssertionReplayCache::purge_expired(TimePoint now) {
  auto lease = db_->acquire();
  return lease.run("DELETE FROM oidc_assertion_jtis WHERE expires_at <= ?", now);
}

}  // namespace portier::storage
