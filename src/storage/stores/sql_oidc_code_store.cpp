#include "storage/stores/sql_oidc_code_store.h"

#include <boost/json.hpp>

namespace portier::storage {

namespace {

boost::json::array to_array(const std::vector<std::string>& words) {
  boost::json::array a;
  for (auto& w : words) a.emplace_back(w);
  return a;
}

std::vector<std::string> from_array(const boost::json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (auto* v = o.if_contains(key); v && v->is_array())
    for (auto& e : v->get_array())
      if (e.is_string()) out.emplace_back(e.get_string());
  return out;
}

std::string text_of(const boost::json::object& o, std::string_view key) {
  if (auto* v = o.if_contains(key); v && v->is_string()) return std::string(v->get_string());
  return {};
}

std::string grant_json(const oidc::CodeGrant& g) {
  boost::json::object o;
  o["client_id"] = g.client_id;
  o["account_id"] = g.account_id;
  o["sid"] = g.sid;
  o["redirect_uri"] = g.redirect_uri;
  o["scopes"] = to_array(g.scopes);
  o["nonce"] = g.nonce;
  o["code_challenge"] = g.code_challenge;
  o["auth_time"] = to_unix(g.auth_time);
  o["amr"] = to_array(g.amr);
  o["acr"] = g.acr;
  o["id_token_claims"] = to_array(g.id_token_claims);
  o["userinfo_claims"] = to_array(g.userinfo_claims);
  return boost::json::serialize(o);
}

Result<oidc::CodeGrant> parse_grant(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return fail(ErrorCode::Internal, "authorization code: unreadable grant");
  auto& o = v.get_object();
  oidc::CodeGrant g;
  g.client_id = text_of(o, "client_id");
  if (auto* id = o.if_contains("account_id"); id && id->is_int64()) g.account_id = id->get_int64();
  g.sid = text_of(o, "sid");
  g.redirect_uri = text_of(o, "redirect_uri");
  g.scopes = from_array(o, "scopes");
  g.nonce = text_of(o, "nonce");
  g.code_challenge = text_of(o, "code_challenge");
  if (auto* t = o.if_contains("auth_time"); t && t->is_int64()) g.auth_time = from_unix(t->get_int64());
  g.amr = from_array(o, "amr");
  g.acr = text_of(o, "acr");
  g.id_token_claims = from_array(o, "id_token_claims");
  g.userinfo_claims = from_array(o, "userinfo_claims");
  return g;
}

}  // namespace

Result<void> SqlOidcCodeStore::insert(std::string_view code_hash, const oidc::CodeGrant& grant, TimePoint created_at,
                                      TimePoint expires_at) {
  auto lease = db_->acquire();
  auto done = lease.run(
      "INSERT INTO oidc_codes (code_hash, client_id, account_id, grant_json, created_at, expires_at)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      code_hash, grant.client_id, grant.account_id, grant_json(grant), created_at, expires_at);
  if (!done) return tl::unexpected(done.error());
  return {};
}

Result<oidc::RedeemedCode> SqlOidcCodeStore::redeem(std::string_view code_hash, TimePoint now) {
  auto lease = db_->acquire();
  // The compare-and-set: of two redemptions racing, one changes the row.
  auto claimed = lease.run("UPDATE oidc_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL", now, code_hash);
  if (!claimed) return tl::unexpected(claimed.error());
  auto stmt = lease.query("SELECT grant_json, expires_at FROM oidc_codes WHERE code_hash = ?", code_hash);
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return fail(ErrorCode::NotFound, "authorization code not found");
  auto grant = parse_grant(stmt->text(0));
  if (!grant) return tl::unexpected(grant.error());
  oidc::RedeemedCode out;
  out.grant = std::move(*grant);
  out.expires_at = stmt->time(1);
  out.reused = *claimed == 0;
  return out;
}

Result<int> SqlOidcCodeStore::purge_expired(TimePoint now) {
  auto lease = db_->acquire();
  // Kept a little past expiry so that a late reuse is still recognised as
  // one (and revokes) rather than answered "unknown".
  return lease.run("DELETE FROM oidc_codes WHERE expires_at <= ?", now - std::chrono::minutes(10));
}

}  // namespace portier::storage
