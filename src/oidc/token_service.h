#pragma once
// The token side of the OpenID Connect provider, without HTTP: codes in,
// tokens out (docs/oidc.md, "Endpoints and tokens"). web/oidc_token_*.cpp
// turn requests into these calls and the answers into JSON.
//
// Every token is random (256 bits) and stored as a keyed hash, or signed
// (ID tokens, JWT access tokens) and recorded by jti, so that revocation and
// introspection see all of them.
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "account/account_store.h"
#include "audit/audit_event.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "common/secret_hasher.h"
#include "oidc/client.h"
#include "oidc/code_grant.h"
#include "oidc/key_ring.h"
#include "oidc/token_store.h"

namespace portier::oidc {

struct TokenSettings {
  std::string issuer;  // server.public_url without a trailing slash
  std::chrono::seconds code_lifetime{60};
  std::chrono::seconds access_token_lifetime{600};
  std::chrono::seconds id_token_lifetime{600};
  std::chrono::seconds refresh_token_lifetime{30 * 24 * 3600};  // absolute, per family
  std::chrono::seconds refresh_token_idle{14 * 24 * 3600};
  std::chrono::seconds refresh_reuse_grace{10};
};

// An OAuth error answer (RFC 6749 5.2, RFC 6750 3.1). `reason` is a fixed
// word for the audit log and metrics; `description` may be shown to the
// client's developer and never names a secret.
struct Refusal {
  int status = 400;
  std::string error;  // invalid_grant, invalid_scope, unauthorized_client, invalid_token, server_error…
  std::string description;
  std::string reason;
};
template <typename T>
using Outcome = tl::expected<T, Refusal>;

struct TokenResponse {
  std::string access_token;
  std::chrono::seconds expires_in{};
  std::string id_token;       // empty without the openid scope
  std::string refresh_token;  // empty when none is issued
  std::string scope;
  // For the audit log: whose tokens these are (none for client_credentials).
  std::optional<AccountId> account_id;
};

// How the token endpoint describes a grant for the audit log. When given,
// the event is written in the access token's own transaction (durable
// together, one commit per grant) once everything else has succeeded;
// a failure to write it fails the grant (server_error): no token goes out
// without its audit event.
using IssuedEvent = std::function<AuditEvent(const TokenResponse&)>;

// An access token that checked out: live, known, not revoked.
using ValidAccessToken = AccessTokenRecord;

class TokenService final : public CodeIssuer {
public:
  TokenService(AccountStore& accounts, CodeStore& codes, RefreshTokenStore& refresh, AccessTokenStore& access,
               KeyRing& keys, const SecretHasher& secrets, Random& random, const Clock& clock, TokenSettings settings);

  // The authorization endpoint's last step: the code the member's browser
  // carries back to the client (single use, settings.code_lifetime).
  Result<std::string> issue_code(const CodeGrant& grant) override;

  // grant_type=authorization_code. The code must be the client's, live and
  // unused, redirect_uri identical to the authorization request's, and the
  // PKCE verifier must match its S256 challenge (required when the client is
  // public or require_pkce). A code presented a second time is refused and
  // everything issued from it is revoked.
  Outcome<TokenResponse> redeem_code(const Client& client, std::string_view code, std::string_view redirect_uri,
                                     std::string_view code_verifier, const IssuedEvent& event = {});
  // grant_type=refresh_token: rotation with reuse detection. `scope` may
  // narrow the granted scopes for the new access token, never widen them.
  Outcome<TokenResponse> refresh(const Client& client, std::string_view refresh_token,
                                 const std::optional<std::string>& scope, const IssuedEvent& event = {});
  // grant_type=client_credentials: an access token for the client itself.
  Outcome<TokenResponse> client_credentials(const Client& client, const std::optional<std::string>& scope,
                                            const IssuedEvent& event = {});

  // The Bearer check of UserInfo (and any resource portier serves):
  // invalid_token (401) for anything unknown, expired or revoked.
  Outcome<ValidAccessToken> validate_access_token(std::string_view token);
  // UserInfo's answer for a validated token: sub and the claims of its
  // scopes. invalid_token for client_credentials tokens, insufficient_scope
  // without openid.
  Outcome<boost::json::object> userinfo(const ValidAccessToken& token);

  // RFC 7662: {"active": false} for anything unknown, expired, revoked, or
  // neither issued to `client` nor meant for it (audience).
  Result<boost::json::object> introspect(const Client& client, std::string_view token, std::string_view hint);
  // RFC 7009: revokes the client's token (a refresh token with its family
  // and their access tokens); unknown tokens and other clients' tokens are
  // ignored. True when something was revoked.
  Result<bool> revoke(const Client& client, std::string_view token, std::string_view hint);
  // Mon espace "Applications": ends every grant of the account to the client.
  Result<int> revoke_for(AccountId account, std::string_view client_id);
  // Sign-out: ends the session's refresh tokens that were not granted
  // offline_access, and their access tokens.
  Result<int> revoke_for_session(std::string_view sid);

  const TokenSettings& settings() const { return settings_; }

private:
  struct Issue;  // what one grant issues (token_service.cpp)
  Outcome<TokenResponse> issue(const Client& client, const Issue& what);
  Outcome<Account> grantable_account(AccountId id);
  Outcome<std::string> id_token(const Client& client, const Account& account, const Issue& what,
                                std::string_view access_token);
  Outcome<TokenResponse> refresh_from(const Client& client, const RefreshToken& old, const Account& account,
                                      const std::vector<std::string>& scopes, bool rotate, const IssuedEvent& event);
  void revoke_code_issue(std::string_view code_hash);

  AccountStore& accounts_;
  CodeStore& codes_;
  RefreshTokenStore& refresh_;
  AccessTokenStore& access_;
  KeyRing& keys_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  TokenSettings settings_;
};

// Purposes of the keyed hashes the token side stores.
inline constexpr std::string_view kCodePurpose = "oidc-code";
inline constexpr std::string_view kRefreshTokenPurpose = "oidc-refresh-token";
inline constexpr std::string_view kAccessTokenPurpose = "oidc-access-token";

}  // namespace portier::oidc
