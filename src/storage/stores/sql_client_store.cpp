#include "storage/stores/sql_client_store.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace portier::storage {

namespace {

using oidc::Client;

constexpr const char* kColumns =
    "client_id, name, secret_hash, is_public, trusted, redirect_uris, post_logout_redirect_uris,"
    " backchannel_logout_uri, auth_method, jwks, id_token_alg, grant_types, scopes, access_token_format,"
    " access_token_audience, id_token_claims, require_pkce, created_at, updated_at, secret_rotated_at, minimum_acr";

std::string to_json(const std::vector<std::string>& list) {
  boost::json::array a;
  for (auto& s : list) a.emplace_back(s);
  return boost::json::serialize(a);
}

Result<std::vector<std::string>> from_json(const std::string& text, std::string_view column) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return fail(ErrorCode::Internal, "oidc_clients." + std::string(column) + " is not a JSON array");
  std::vector<std::string> out;
  for (auto& v : value.as_array()) {
    if (!v.is_string()) return fail(ErrorCode::Internal, "oidc_clients." + std::string(column) + " holds a non-string");
    out.emplace_back(v.as_string());
  }
  return out;
}

// A row this version cannot read (an unknown auth method, a hand edit) is an
// error, never a client with defaults: a default could open what the
// administrator closed.
Result<Client> read_client(const Statement& s) {
  Client c;
  c.client_id = s.text(0);
  c.name = s.text(1);
  c.secret_hash = s.text(2);
  c.is_public = s.int64(3) != 0;
  c.trusted = s.int64(4) != 0;
  auto redirects = from_json(s.text(5), "redirect_uris");
  auto post_logout = from_json(s.text(6), "post_logout_redirect_uris");
  c.backchannel_logout_uri = s.text(7);
  auto method = oidc::parse_client_auth_method(s.text(8));
  c.jwks = s.text(9);
  c.id_token_alg = s.text(10);
  auto grants = from_json(s.text(11), "grant_types");
  auto scopes = from_json(s.text(12), "scopes");
  auto format = oidc::parse_access_token_format(s.text(13));
  c.access_token_audience = s.text(14);
  auto claims = from_json(s.text(15), "id_token_claims");
  c.require_pkce = s.int64(16) != 0;
  c.created_at = s.time(17);
  c.updated_at = s.time(18);
  c.secret_rotated_at = s.optional_time(19);
  c.minimum_acr = s.text(20);
  for (auto* list : {&redirects, &post_logout, &grants, &scopes, &claims})
    if (!*list) return tl::unexpected(list->error());
  if (!method || !format) return fail(ErrorCode::Internal, "client " + c.client_id + " has an unknown auth method or token format");
  c.redirect_uris = std::move(*redirects);
  c.post_logout_redirect_uris = std::move(*post_logout);
  c.grant_types = std::move(*grants);
  c.scopes = std::move(*scopes);
  c.id_token_claims = std::move(*claims);
  c.auth_method = *method;
  c.access_token_format = *format;
  return c;
}

}  // namespace

Result<void> SqlClientStore::create(const Client& c) {
  auto lease = db_->acquire();
  auto inserted = lease.run(std::string("INSERT INTO oidc_clients (") + kColumns +
                                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            c.client_id, c.name, c.secret_hash, c.is_public, c.trusted, to_json(c.redirect_uris),
                            to_json(c.post_logout_redirect_uris), c.backchannel_logout_uri,
                            oidc::to_string(c.auth_method), c.jwks, c.id_token_alg, to_json(c.grant_types),
                            to_json(c.scopes), oidc::to_string(c.access_token_format), c.access_token_audience,
                            to_json(c.id_token_claims), c.require_pkce, c.created_at, c.updated_at,
                            c.secret_rotated_at, c.minimum_acr);
  if (!inserted) return tl::unexpected(inserted.error());
  return {};
}

Result<Client> SqlClientStore::find(std::string_view client_id) {
  auto lease = db_->acquire();
  auto rows = read_rows(lease.query(std::string("SELECT ") + kColumns + " FROM oidc_clients WHERE client_id = ?",
                                    client_id),
                        read_client);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::NotFound, "no client " + std::string(client_id));
  return std::move(rows->front());
}

Result<std::vector<Client>> SqlClientStore::list() {
  auto lease = db_->acquire();
  return read_rows(lease.query(std::string("SELECT ") + kColumns + " FROM oidc_clients ORDER BY lower(name), client_id"),
                   read_client);
}

Result<void> SqlClientStore::update(const Client& c) {
  auto lease = db_->acquire();
  return require_change(
      lease.run("UPDATE oidc_clients SET name = ?, is_public = ?, trusted = ?, redirect_uris = ?,"
                " post_logout_redirect_uris = ?, backchannel_logout_uri = ?, auth_method = ?, jwks = ?,"
                " id_token_alg = ?, grant_types = ?, scopes = ?, access_token_format = ?, access_token_audience = ?,"
                " id_token_claims = ?, require_pkce = ?, minimum_acr = ?, updated_at = ? WHERE client_id = ?",
                c.name, c.is_public, c.trusted, to_json(c.redirect_uris), to_json(c.post_logout_redirect_uris),
                c.backchannel_logout_uri, oidc::to_string(c.auth_method), c.jwks, c.id_token_alg,
                to_json(c.grant_types), to_json(c.scopes), oidc::to_string(c.access_token_format),
                c.access_token_audience, to_json(c.id_token_claims), c.require_pkce, c.minimum_acr, c.updated_at,
                c.client_id),
      "client");
}

Result<void> SqlClientStore::set_secret(std::string_view client_id, std::string_view secret_hash, TimePoint at) {
  auto lease = db_->acquire();
  return require_change(lease.run("UPDATE oidc_clients SET secret_hash = ?, secret_rotated_at = ?, updated_at = ?"
                                  " WHERE client_id = ?",
                                  secret_hash, at, at, client_id),
                        "client");
}

Result<void> SqlClientStore::remove(std::string_view client_id) {
  auto lease = db_->acquire();
  return require_change(lease.run("DELETE FROM oidc_clients WHERE client_id = ?", client_id), "client");
}

}  // namespace portier::storage
