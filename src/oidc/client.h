#pragma once
// An application that relies on portier for sign-in (an OAuth 2.0 client /
// OpenID Connect relying party), as registered by an administrator with
// `portier client add` or the console. Plain data; rules on what a valid
// registration is live in oidc/client_rules.h.
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace portier::oidc {

// How the client proves itself at the token, introspection and revocation
// endpoints (RFC 7591 names).
enum class ClientAuthMethod { ClientSecretBasic, ClientSecretPost, PrivateKeyJwt, None };
std::string_view to_string(ClientAuthMethod method);
std::optional<ClientAuthMethod> parse_client_auth_method(std::string_view text);

// What access tokens issued to the client look like: opaque random strings
// (introspected) or RFC 9068 JWTs for APIs that check them themselves.
enum class AccessTokenFormat { Opaque, Jwt };
std::string_view to_string(AccessTokenFormat format);
std::optional<AccessTokenFormat> parse_access_token_format(std::string_view text);

struct Client {
  std::string client_id;  // random, shown to the operator; never secret
  std::string name;       // shown to members (consent, Mon espace "Applications")
  // Keyed hash (SecretHasher, purpose "oidc-client-secret") of the generated
  // secret; empty for public clients and for private_key_jwt clients.
  std::string secret_hash;
  bool is_public = false;  // no secret: a browser or native app, PKCE required
  bool trusted = false;    // first-party: no consent page
  std::vector<std::string> redirect_uris;              // exact match only
  std::vector<std::string> post_logout_redirect_uris;  // exact match only
  std::string backchannel_logout_uri;                  // empty: none
  ClientAuthMethod auth_method = ClientAuthMethod::ClientSecretBasic;
  std::string jwks;  // JSON JWK Set of the client's public keys (private_key_jwt)
  std::string id_token_alg = "RS256";  // RS256, ES256 or EdDSA
  // Grant types the client may use: "authorization_code", "refresh_token",
  // "client_credentials".
  std::vector<std::string> grant_types{"authorization_code", "refresh_token"};
  // Scopes the client may ask for beyond "openid".
  std::vector<std::string> scopes{"openid", "profile", "email", "phone", "offline_access"};
  AccessTokenFormat access_token_format = AccessTokenFormat::Opaque;
  std::string access_token_audience;  // `aud` of JWT access tokens (the API); empty: the client_id
  // Claims also placed in the ID token (the rest only through UserInfo).
  // Fixed per client: relying parties break when this moves.
  std::vector<std::string> id_token_claims;
  bool require_pkce = true;  // public clients always; confidential ones by default (OAuth 2.1)
  // The lowest sign-in the application accepts (an acr of
  // oidc/authentication_context.h); empty: none. Unlike acr_values, which
  // are voluntary, nothing below it is ever issued to the client.
  std::string minimum_acr;
  TimePoint created_at{};
  TimePoint updated_at{};
  std::optional<TimePoint> secret_rotated_at;
};

}  // namespace portier::oidc
