#include "admin/client_admin_service.h"

#include "oidc/client_secret.h"

namespace portier {

namespace {

std::string detail_of(const oidc::Client& c) {
  return "client_id=" + c.client_id + " name=" + c.name + " type=" + (c.is_public ? "public" : "confidential") +
         " auth=" + std::string(oidc::to_string(c.auth_method)) + (c.trusted ? " trusted" : "");
}

// The registration fields that differ, by their Client member names
// ("changed=name,redirect_uris"), so that the audit trail says what an
// update did without holding the values (URIs may be long; the current ones
// are on the application's page). "changed=-" when the update changed nothing.
std::string changed_fields(const oidc::Client& before, const oidc::Client& after) {
  std::string out;
  auto note = [&](bool differs, const char* field) {
    if (differs) out += (out.empty() ? "" : ",") + std::string(field);
  };
  note(before.name != after.name, "name");
  note(before.is_public != after.is_public, "is_public");
  note(before.trusted != after.trusted, "trusted");
  note(before.redirect_uris != after.redirect_uris, "redirect_uris");
  note(before.post_logout_redirect_uris != after.post_logout_redirect_uris, "post_logout_redirect_uris");
  note(before.backchannel_logout_uri != after.backchannel_logout_uri, "backchannel_logout_uri");
  note(before.auth_method != after.auth_method, "auth_method");
  note(before.jwks != after.jwks, "jwks");
  note(before.id_token_alg != after.id_token_alg, "id_token_alg");
  note(before.grant_types != after.grant_types, "grant_types");
  note(before.scopes != after.scopes, "scopes");
  note(before.access_token_format != after.access_token_format, "access_token_format");
  note(before.access_token_audience != after.access_token_audience, "access_token_audience");
  note(before.id_token_claims != after.id_token_claims, "id_token_claims");
  note(before.require_pkce != after.require_pkce, "require_pkce");
  note(before.minimum_acr != after.minimum_acr, "minimum_acr");
  return " changed=" + (out.empty() ? std::string("-") : out);
}

}  // namespace

std::string ClientAdminService::new_secret(oidc::Client& c) {
  auto secret = oidc::generate_client_secret(random_);
  c.secret_hash = oidc::hash_client_secret(secrets_, secret);
  c.secret_rotated_at = clock_.now();
  return secret;
}

Result<ClientOutcome> ClientAdminService::add(oidc::Client c, std::optional<AccountId> actor,
                                              const ClientInfo& client) {
  if (auto problems = oidc::check_client(c); !problems.empty()) return ClientRejected{std::move(problems)};
  c.client_id = oidc::generate_client_id(random_);
  c.created_at = c.updated_at = clock_.now();
  c.secret_hash.clear();
  c.secret_rotated_at.reset();
  std::string secret;
  if (oidc::uses_secret(c)) secret = new_secret(c);
  if (auto created = clients_.create(c); !created) return tl::unexpected(created.error());
  audit_.record("oidc.client_added", actor, std::nullopt, client, detail_of(c));
  return ClientSaved{std::move(c), std::move(secret)};
}

Result<ClientOutcome> ClientAdminService::update(oidc::Client c, std::optional<AccountId> actor,
                                                 const ClientInfo& client) {
  auto current = clients_.find(c.client_id);
  if (!current) return tl::unexpected(current.error());
  if (auto problems = oidc::check_client(c); !problems.empty()) return ClientRejected{std::move(problems)};
  c.created_at = current->created_at;
  c.updated_at = clock_.now();
  c.secret_hash = current->secret_hash;
  c.secret_rotated_at = current->secret_rotated_at;
  std::string secret;
  if (oidc::uses_secret(c) && c.secret_hash.empty()) {
    secret = new_secret(c);
  } else if (!oidc::uses_secret(c) && !c.secret_hash.empty()) {
    // A secret left behind would keep working wherever a method check was
    // forgotten: clear it.
    c.secret_hash.clear();
  }
  if (auto saved = clients_.update(c); !saved) return tl::unexpected(saved.error());
  if (c.secret_hash != current->secret_hash) {
    if (auto stored = clients_.set_secret(c.client_id, c.secret_hash, clock_.now()); !stored)
      return tl::unexpected(stored.error());
  }
  audit_.record("oidc.client_updated", actor, std::nullopt, client,
                detail_of(c) + changed_fields(*current, c) + (secret.empty() ? "" : " secret_made") +
                    (c.secret_hash.empty() && !current->secret_hash.empty() ? " secret_cleared" : ""));
  return ClientSaved{std::move(c), std::move(secret)};
}

Result<ClientSaved> ClientAdminService::rotate_secret(std::string_view client_id, std::optional<AccountId> actor,
                                                      const ClientInfo& client) {
  auto c = clients_.find(client_id);
  if (!c) return tl::unexpected(c.error());
  if (!oidc::uses_secret(*c))
    return fail(ErrorCode::InvalidInput, "client " + c->client_id + " does not authenticate with a secret (" +
                                             std::string(oidc::to_string(c->auth_method)) + ")");
  auto secret = new_secret(*c);
  c->updated_at = clock_.now();
  if (auto stored = clients_.set_secret(c->client_id, c->secret_hash, clock_.now()); !stored)
    return tl::unexpected(stored.error());
  audit_.record("oidc.client_secret_rotated", actor, std::nullopt, client, detail_of(*c));
  return ClientSaved{std::move(*c), std::move(secret)};
}

Result<void> ClientAdminService::remove(std::string_view client_id, std::optional<AccountId> actor,
                                        const ClientInfo& client) {
  auto c = clients_.find(client_id);
  if (!c) return tl::unexpected(c.error());
  if (auto removed = clients_.remove(client_id); !removed) return removed;
  audit_.record("oidc.client_removed", actor, std::nullopt, client, detail_of(*c));
  return {};
}

}  // namespace portier
