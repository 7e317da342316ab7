#include "oidc/token_service.h"

#include <openssl/evp.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/encoding.h"
#include "oidc/authentication_context.h"
#include "oidc/claims.h"
#include "oidc/jose/jws.h"
#include "oidc/scope.h"
#include "oidc/subject.h"

namespace portier::oidc {

namespace {

Refusal refuse(std::string error, std::string description, std::string reason, int status = 400) {
  return Refusal{status, std::move(error), std::move(description), std::move(reason)};
}
Refusal invalid_grant(std::string description, std::string reason) {
  return refuse("invalid_grant", std::move(description), std::move(reason));
}
Refusal server_error(const Error& e) {
  // The detail goes to the log through the reason, never to the client.
  return refuse("server_error", "the server could not answer; try again", "error: " + e.detail,
                e.code == ErrorCode::Unavailable ? 503 : 500);
}

std::string digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}

// at_hash (OIDC Core 3.1.3.6): the left half of the hash of the access
// token, the hash being the one of the ID token's alg (SHA-512 for Ed25519,
// as the OpenID Foundation's tests expect).
std::string at_hash(jose::JwsAlg alg, std::string_view access_token) {
  auto h = digest(alg == jose::JwsAlg::EdDSA ? EVP_sha512() : EVP_sha256(), access_token);
  return base64url_encode(std::string_view(h).substr(0, h.size() / 2));
}

// RFC 7636 4.1: 43 to 128 unreserved characters.
bool valid_verifier(std::string_view v) {
  if (v.size() < 43 || v.size() > 128) return false;
  for (char c : v)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~')) return false;
  return true;
}

boost::json::array json_array(const std::vector<std::string>& words) {
  boost::json::array a;
  for (auto& w : words) a.emplace_back(w);
  return a;
}

std::int64_t unix_of(TimePoint t) { return to_unix(t); }

std::vector<std::string> merged(std::vector<std::string> a, const std::vector<std::string>& b) {
  for (auto& x : b)
    if (!contains(a, x)) a.push_back(x);
  return a;
}

}  // namespace

struct TokenService::Issue {
  std::optional<AccountId> account_id;
  std::string sid;
  std::vector<std::string> scopes;         // of the access token (and ID token)
  std::vector<std::string> family_scopes;  // of the refresh token
  TimePoint auth_time{};
  std::vector<std::string> amr;
  std::string acr;
  std::string nonce;
  std::vector<std::string> id_token_claims;  // asked with the `claims` parameter
  std::string code_hash;
  bool with_refresh = false;
  // Refresh: the token presented, and whether it is rotated (first use) or
  // only followed by a fresh token of its family (use within the grace).
  const RefreshToken* previous = nullptr;
  bool rotate = false;
  TimePoint family_expires_at{};
  std::string family_id;
  const Account* account = nullptr;
  const IssuedEvent* event = nullptr;  // written with the access token when set
};

TokenService::TokenService(AccountStore& accounts, CodeStore& codes, RefreshTokenStore& refresh,
                           AccessTokenStore& access, KeyRing& keys, const SecretHasher& secrets, Random& random,
                           const Clock& clock, TokenSettings settings)
    : accounts_(accounts),
      codes_(codes),
      refresh_(refresh),
      access_(access),
      keys_(keys),
      secrets_(secrets),
      random_(random),
      clock_(clock),
      settings_(std::move(settings)) {}

Result<std::string> TokenService::issue_code(const CodeGrant& grant) {
  auto code = random_.token(32);
  auto now = clock_.now();
  if (auto done = codes_.insert(secrets_.digest(kCodePurpose, code), grant, now, now + settings_.code_lifetime); !done)
    return tl::unexpected(done.error());
  return code;
}

void TokenService::revoke_code_issue(std::string_view code_hash) {
  auto now = clock_.now();
  auto families = refresh_.revoke_by_code(code_hash, now);
  if (families) (void)access_.revoke_families(*families, now);
  (void)access_.revoke_by_code(code_hash, now);
}

Outcome<TokenResponse> TokenService::redeem_code(const Client& client, std::string_view code,
                                                 std::string_view redirect_uri, std::string_view code_verifier,
                                                 const IssuedEvent& event) {
  if (!contains(client.grant_types, "authorization_code"))
    return tl::unexpected(refuse("unauthorized_client", "the client may not use this grant type", "grant_not_allowed"));
  auto code_hash = secrets_.digest(kCodePurpose, code);
  auto now = clock_.now();
  auto redeemed = codes_.redeem(code_hash, now);
  if (!redeemed) {
    if (redeemed.error().code == ErrorCode::NotFound)
      return tl::unexpected(invalid_grant("the code is unknown or expired", "unknown_code"));
    return tl::unexpected(server_error(redeemed.error()));
  }
  auto& grant = redeemed->grant;
  // Checked before anything else: whoever presents a used code, the tokens
  // of its first redemption may be in the wrong hands (RFC 6749 4.1.2).
  if (redeemed->reused) {
    revoke_code_issue(code_hash);
    return tl::unexpected(invalid_grant("the code was already used", "code_reused"));
  }
  if (now >= redeemed->expires_at) return tl::unexpected(invalid_grant("the code has expired", "expired_code"));
  if (grant.client_id != client.client_id)
    return tl::unexpected(invalid_grant("the code was issued to another client", "client_mismatch"));
  if (redirect_uri != grant.redirect_uri)
    return tl::unexpected(invalid_grant("redirect_uri differs from the authorization request's", "redirect_uri_mismatch"));
  if (!grant.code_challenge.empty()) {
    if (!valid_verifier(code_verifier))
      return tl::unexpected(invalid_grant("code_verifier is missing or malformed", "pkce_failed"));
    auto computed = base64url_encode(digest(EVP_sha256(), code_verifier));
    if (!constant_time_equal(computed, grant.code_challenge))
      return tl::unexpected(invalid_grant("code_verifier does not match the code_challenge", "pkce_failed"));
  } else if (client.is_public || client.require_pkce) {
    return tl::unexpected(invalid_grant("the authorization request had no code_challenge", "pkce_required"));
  } else if (!code_verifier.empty()) {
    // A verifier without a challenge is a downgrade attempt (RFC 9700 2.1.1).
    return tl::unexpected(invalid_grant("code_verifier without a code_challenge", "pkce_failed"));
  }
  // The client's minimum (set, or raised, after the code was issued).
  if (!client.minimum_acr.empty() && !acr_satisfies(grant.acr, client.minimum_acr))
    return tl::unexpected(invalid_grant("the sign-in is below the client's minimum_acr", "acr_below_minimum"));
  auto account = grantable_account(grant.account_id);
  if (!account) return tl::unexpected(account.error());

  Issue what;
  what.account_id = account->id;
  what.account = &*account;
  what.sid = grant.sid;
  what.scopes = grant.scopes;
  what.family_scopes = grant.scopes;
  what.auth_time = grant.auth_time;
  what.amr = grant.amr;
  what.acr = grant.acr;
  what.nonce = grant.nonce;
  what.id_token_claims = grant.id_token_claims;
  what.code_hash = code_hash;
  // A refresh token goes to every client registered for the refresh_token
  // grant (mod_auth_openidc and openid-client refresh without asking for
  // offline_access). Without offline_access it lives only as long as the
  // member's session at portier (revoke_for_session); with it, it outlives
  // sign-out. A client without the grant gets none, whatever it asked.
  what.with_refresh = contains(client.grant_types, "refresh_token");
  what.family_expires_at = now + settings_.refresh_token_lifetime;
  what.event = event ? &event : nullptr;
  return issue(client, what);
}

Outcome<TokenResponse> TokenService::refresh(const Client& client, std::string_view refresh_token,
                                             const std::optional<std::string>& scope, const IssuedEvent& event) {
  if (!contains(client.grant_types, "refresh_token"))
    return tl::unexpected(refuse("unauthorized_client", "the client may not use this grant type", "grant_not_allowed"));
  auto hash = secrets_.digest(kRefreshTokenPurpose, refresh_token);
  // Twice at most: a rotation lost to a concurrent request re-reads the
  // token, which is then rotated and handled by the grace rule.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto found = refresh_.find(hash);
    if (!found) {
      if (found.error().code == ErrorCode::NotFound)
        return tl::unexpected(invalid_grant("the refresh token is unknown", "unknown_refresh_token"));
      return tl::unexpected(server_error(found.error()));
    }
    auto& rec = *found;
    auto now = clock_.now();
    if (rec.client_id != client.client_id)
      return tl::unexpected(invalid_grant("the refresh token was issued to another client", "client_mismatch"));
    if (rec.revoked_at) return tl::unexpected(invalid_grant("the refresh token was revoked", "revoked"));
    if (now >= rec.expires_at || now >= rec.family_expires_at)
      return tl::unexpected(invalid_grant("the refresh token has expired", "expired"));
    // A minimum raised since the sign-in: the refresh token no longer
    // carries enough; the application sends the member to sign in again.
    if (!client.minimum_acr.empty() && !acr_satisfies(rec.acr, client.minimum_acr))
      return tl::unexpected(invalid_grant("the sign-in is below the client's minimum_acr", "acr_below_minimum"));
    std::vector<std::string> scopes = rec.scopes;
    if (scope) {
      scopes = split_words(*scope);
      for (auto& s : scopes)
        if (!contains(rec.scopes, s))
          return tl::unexpected(refuse("invalid_scope", "scope " + s + " was not granted", "scope_widened"));
    }
    if (rec.rotated_at && now - *rec.rotated_at > settings_.refresh_reuse_grace) {
      // Reuse after rotation: one of the two holders is not the client.
      // End the whole family and what it issued (RFC 9700 4.14.2).
      (void)refresh_.revoke_family(rec.family_id, now);
      (void)access_.revoke_families({rec.family_id}, now);
      return tl::unexpected(invalid_grant("the refresh token was already used", "refresh_reused"));
    }
    auto account = grantable_account(rec.account_id);
    if (!account) return tl::unexpected(account.error());
    // Within the grace (two tabs refreshing at once), the rotated token is
    // answered with a fresh token of the same family rather than the
    // successor already handed out: a token is never given twice.
    auto out = refresh_from(client, rec, *account, scopes, !rec.rotated_at, event);
    if (!out && out.error().reason == "rotation_lost") continue;
    return out;
  }
  return tl::unexpected(invalid_grant("the refresh token was already used", "refresh_race"));
}

Outcome<TokenResponse> TokenService::refresh_from(const Client& client, const RefreshToken& old, const Account& account,
                                                  const std::vector<std::string>& scopes, bool rotate,
                                                  const IssuedEvent& event) {
  Issue what;
  what.account_id = account.id;
  what.account = &account;
  what.sid = old.sid;
  what.scopes = scopes;
  what.family_scopes = old.scopes;
  what.auth_time = old.auth_time;  // the sign-in's, not the refresh's
  what.amr = old.amr;
  what.acr = old.acr;
  what.code_hash = old.code_hash;
  what.with_refresh = true;
  what.previous = &old;
  what.rotate = rotate;
  what.family_id = old.family_id;
  what.family_expires_at = old.family_expires_at;
  what.event = event ? &event : nullptr;
  return issue(client, what);
}

// The member a code or refresh token was issued to, if they may still get
// tokens: gone or no longer active is invalid_grant, a store failure a
// server error.
Outcome<Account> TokenService::grantable_account(AccountId id) {
  auto account = accounts_.find_by_id(id);
  if (!account) {
    if (account.error().code == ErrorCode::NotFound)
      return tl::unexpected(invalid_grant("the account no longer exists", "account_gone"));
    return tl::unexpected(server_error(account.error()));
  }
  if (account->status != AccountStatus::Active)
    return tl::unexpected(invalid_grant("the account is not active", "account_inactive"));
  return std::move(*account);
}

Outcome<TokenResponse> TokenService::client_credentials(const Client& client, const std::optional<std::string>& scope,
                                                        const IssuedEvent& event) {
  if (client.is_public || !contains(client.grant_types, "client_credentials"))
    return tl::unexpected(refuse("unauthorized_client", "the client may not use this grant type", "grant_not_allowed"));
  Issue what;
  if (scope) {
    what.scopes = split_words(*scope);
    for (auto& s : what.scopes)
      if (s == "openid" || s == "offline_access" || !contains(client.scopes, s))
        return tl::unexpected(refuse("invalid_scope", "scope " + s + " is not available to this client", "scope_refused"));
  }
  what.event = event ? &event : nullptr;
  return issue(client, what);
}

Outcome<TokenResponse> TokenService::issue(const Client& client, const Issue& what) {
  auto now = clock_.now();
  TokenResponse out;
  out.account_id = what.account_id;
  out.scope = join_words(what.scopes);
  out.expires_in = settings_.access_token_lifetime;

  std::string family_id = what.family_id;
  if (what.with_refresh && what.account_id) {
    RefreshToken next;
    out.refresh_token = random_.token(32);
    next.token_hash = secrets_.digest(kRefreshTokenPurpose, out.refresh_token);
    if (family_id.empty()) family_id = random_.token(16);
    next.family_id = family_id;
    next.client_id = client.client_id;
    next.account_id = *what.account_id;
    next.sid = what.sid;
    next.scopes = what.family_scopes;
    next.auth_time = what.auth_time;
    next.amr = what.amr;
    next.acr = what.acr;
    next.code_hash = what.code_hash;
    next.created_at = now;
    next.family_expires_at = what.family_expires_at;
    next.expires_at = std::min(now + settings_.refresh_token_idle, what.family_expires_at);
    if (what.previous && what.rotate) {
      auto rotated = refresh_.rotate(what.previous->token_hash, next, now);
      if (!rotated) return tl::unexpected(server_error(rotated.error()));
      if (!*rotated) return tl::unexpected(invalid_grant("the refresh token was already used", "rotation_lost"));
    } else if (auto done = refresh_.insert(next); !done) {
      return tl::unexpected(server_error(done.error()));
    }
  }

  AccessTokenRecord at;
  at.client_id = client.client_id;
  at.account_id = what.account_id;
  at.sid = what.sid;
  at.scopes = what.scopes;
  at.audience = client.access_token_audience.empty() ? client.client_id : client.access_token_audience;
  if (what.account_id) at.auth_time = what.auth_time;
  at.amr = what.amr;
  at.acr = what.acr;
  at.family_id = family_id;
  at.code_hash = what.code_hash;
  at.created_at = now;
  at.expires_at = now + settings_.access_token_lifetime;
  if (client.access_token_format == AccessTokenFormat::Jwt) {
    // RFC 9068, signed RS256 (the one algorithm every API library checks).
    auto key = keys_.active(jose::JwsAlg::RS256);
    if (!key) return tl::unexpected(server_error(key.error()));
    at.jwt = true;
    at.token_key = random_.token(32);
    boost::json::object c;
    c["iss"] = settings_.issuer;
    c["sub"] = what.account_id ? subject_of(secrets_, *what.account_id) : client.client_id;
    c["aud"] = at.audience;
    c["exp"] = unix_of(at.expires_at);
    c["iat"] = unix_of(now);
    c["jti"] = at.token_key;
    c["client_id"] = client.client_id;
    if (!what.scopes.empty()) c["scope"] = join_words(what.scopes);
    if (what.account_id) {
      c["auth_time"] = unix_of(what.auth_time);
      if (!what.acr.empty()) c["acr"] = what.acr;
      if (!what.amr.empty()) c["amr"] = json_array(what.amr);
    }
    auto jws = jose::sign_compact(key->key, key->kid, boost::json::serialize(c), "at+jwt");
    if (!jws) return tl::unexpected(server_error(jws.error()));
    out.access_token = std::move(*jws);
  } else {
    out.access_token = random_.token(32);
    at.token_key = secrets_.digest(kAccessTokenPurpose, out.access_token);
  }
  // The ID token before the access token's row: once that row (and the
  // grant's audit event with it) is committed, nothing can fail any more,
  // so the audit log never records a grant that was not answered.
  if (what.account && contains(what.scopes, "openid")) {
    auto id = id_token(client, *what.account, what, out.access_token);
    if (!id) return tl::unexpected(id.error());
    out.id_token = std::move(*id);
  }
  auto done = what.event ? access_.insert(at, (*what.event)(out)) : access_.insert(at);
  if (!done) return tl::unexpected(server_error(done.error()));
  return out;
}

Outcome<std::string> TokenService::id_token(const Client& client, const Account& account, const Issue& what,
                                            std::string_view access_token) {
  auto alg = jose::parse_alg(client.id_token_alg).value_or(jose::JwsAlg::RS256);
  auto key = keys_.active(alg);
  if (!key) return tl::unexpected(server_error(key.error()));
  auto now = clock_.now();
  // Standard claims go to UserInfo; into the ID token only those the client
  // is registered for (id_token_claims) or asked for with `claims`.
  auto only = merged(client.id_token_claims, what.id_token_claims);
  auto c = claims_for(account, what.scopes, &only);
  c["iss"] = settings_.issuer;
  c["sub"] = subject_of(secrets_, account.id);
  c["aud"] = client.client_id;
  c["azp"] = client.client_id;
  c["exp"] = unix_of(now + settings_.id_token_lifetime);
  c["iat"] = unix_of(now);
  c["auth_time"] = unix_of(what.auth_time);
  if (!what.nonce.empty()) c["nonce"] = what.nonce;
  if (!what.acr.empty()) c["acr"] = what.acr;
  if (!what.amr.empty()) c["amr"] = json_array(what.amr);
  if (!what.sid.empty()) c["sid"] = what.sid;
  c["at_hash"] = at_hash(alg, access_token);
  auto jws = jose::sign_compact(key->key, key->kid, boost::json::serialize(c), "JWT");
  if (!jws) return tl::unexpected(server_error(jws.error()));
  return std::move(*jws);
}

Outcome<ValidAccessToken> TokenService::validate_access_token(std::string_view token) {
  auto invalid = [](std::string description) {
    return tl::unexpected(refuse("invalid_token", std::move(description), "invalid_token", 401));
  };
  if (token.empty() || token.size() > 8192) return invalid("no usable access token");
  std::string key;
  if (std::count(token.begin(), token.end(), '.') == 2) {
    auto header = jose::peek_header(token);
    if (!header) return invalid("malformed access token");
    auto* kid = header->if_contains("kid");
    auto* typ = header->if_contains("typ");
    if (!kid || !kid->is_string() || !typ || !typ->is_string() || typ->get_string() != "at+jwt")
      return invalid("not an access token");
    auto signer = keys_.by_kid(kid->get_string());
    if (!signer) return invalid("unknown signing key");
    auto verified = jose::verify_compact(token, *signer);
    if (!verified) return invalid("bad signature");
    boost::system::error_code ec;
    auto payload = boost::json::parse(verified->payload, ec);
    if (ec || !payload.is_object()) return invalid("malformed access token");
    auto* jti = payload.get_object().if_contains("jti");
    auto* iss = payload.get_object().if_contains("iss");
    if (!jti || !jti->is_string() || !iss || !iss->is_string() || iss->get_string() != settings_.issuer)
      return invalid("not one of ours");
    key = std::string(jti->get_string());
  } else {
    key = secrets_.digest(kAccessTokenPurpose, token);
  }
  auto found = access_.find(key);
  if (!found) {
    if (found.error().code == ErrorCode::NotFound) return invalid("unknown access token");
    return tl::unexpected(server_error(found.error()));
  }
  if (found->revoked_at) return invalid("the access token was revoked");
  if (clock_.now() >= found->expires_at) return invalid("the access token has expired");
  return std::move(*found);
}

Outcome<boost::json::object> TokenService::userinfo(const ValidAccessToken& token) {
  if (!token.account_id)
    return tl::unexpected(refuse("invalid_token", "the access token stands for no member", "no_member", 401));
  if (!contains(token.scopes, "openid"))
    return tl::unexpected(refuse("insufficient_scope", "the openid scope was not granted", "no_openid", 403));
  auto account = accounts_.find_by_id(*token.account_id);
  if (!account) {
    if (account.error().code == ErrorCode::NotFound)
      return tl::unexpected(refuse("invalid_token", "the account no longer exists", "account_gone", 401));
    return tl::unexpected(server_error(account.error()));
  }
  if (account->status != AccountStatus::Active)
    return tl::unexpected(refuse("invalid_token", "the account is not active", "account_inactive", 401));
  auto c = claims_for(*account, token.scopes);
  c["sub"] = subject_of(secrets_, account->id);
  return c;
}

Result<boost::json::object> TokenService::introspect(const Client& client, std::string_view token,
                                                     std::string_view hint) {
  boost::json::object inactive{{"active", false}};
  auto now = clock_.now();
  auto as_refresh = [&]() -> Result<std::optional<boost::json::object>> {
    auto found = refresh_.find(secrets_.digest(kRefreshTokenPurpose, token));
    if (!found) {
      if (found.error().code == ErrorCode::NotFound) return std::nullopt;
      return tl::unexpected(found.error());
    }
    auto& r = *found;
    if (r.client_id != client.client_id || r.revoked_at || now >= r.expires_at || now >= r.family_expires_at ||
        (r.rotated_at && now - *r.rotated_at > settings_.refresh_reuse_grace))
      return inactive;
    boost::json::object o{{"active", true},
                          {"token_type", "refresh_token"},
                          {"client_id", r.client_id},
                          {"scope", join_words(r.scopes)},
                          {"sub", subject_of(secrets_, r.account_id)},
                          {"iss", settings_.issuer},
                          {"iat", unix_of(r.created_at)},
                          {"exp", unix_of(std::min(r.expires_at, r.family_expires_at))}};
    return o;
  };
  auto as_access = [&]() -> Result<std::optional<boost::json::object>> {
    auto valid = validate_access_token(token);
    if (!valid) {
      if (valid.error().error == "server_error") return fail(ErrorCode::Unavailable, valid.error().reason);
      return std::nullopt;
    }
    auto& a = *valid;
    // RFC 7662 4: the client the token was issued to, or the API it is for.
    if (a.client_id != client.client_id && a.audience != client.client_id) return inactive;
    boost::json::object o{{"active", true},
                          {"token_type", "Bearer"},
                          {"client_id", a.client_id},
                          {"scope", join_words(a.scopes)},
                          {"aud", a.audience},
                          {"iss", settings_.issuer},
                          {"iat", unix_of(a.created_at)},
                          {"exp", unix_of(a.expires_at)}};
    o["sub"] = a.account_id ? subject_of(secrets_, *a.account_id) : a.client_id;
    if (a.jwt) o["jti"] = a.token_key;
    return o;
  };
  bool refresh_first = hint == "refresh_token";
  for (int i = 0; i < 2; ++i) {
    auto r = (i == 0) == refresh_first ? as_refresh() : as_access();
    if (!r) return tl::unexpected(r.error());
    if (*r) return std::move(**r);
  }
  return inactive;
}

Result<bool> TokenService::revoke(const Client& client, std::string_view token, std::string_view hint) {
  auto now = clock_.now();
  auto as_refresh = [&]() -> Result<bool> {
    auto found = refresh_.find(secrets_.digest(kRefreshTokenPurpose, token));
    if (!found) {
      if (found.error().code == ErrorCode::NotFound) return false;
      return tl::unexpected(found.error());
    }
    if (found->client_id != client.client_id) return false;
    auto n = refresh_.revoke_family(found->family_id, now);
    if (!n) return tl::unexpected(n.error());
    auto m = access_.revoke_families({found->family_id}, now);
    if (!m) return tl::unexpected(m.error());
    return true;
  };
  auto as_access = [&]() -> Result<bool> {
    auto valid = validate_access_token(token);
    if (!valid) return false;  // unknown, expired or already revoked: nothing to do
    if (valid->client_id != client.client_id) return false;
    auto n = access_.revoke(valid->token_key, now);
    if (!n) return tl::unexpected(n.error());
    return *n > 0;
  };
  bool refresh_first = hint != "access_token";
  for (int i = 0; i < 2; ++i) {
    auto r = (i == 0) == refresh_first ? as_refresh() : as_access();
    if (!r) return r;
    if (*r) return true;
  }
  return false;
}

Result<int> TokenService::revoke_for(AccountId account, std::string_view client_id) {
  auto now = clock_.now();
  auto families = refresh_.revoke_for(account, client_id, now);
  if (!families) return tl::unexpected(families.error());
  auto n = access_.revoke_for(account, client_id, now);
  if (!n) return n;
  return static_cast<int>(families->size()) + *n;
}

Result<int> TokenService::revoke_for_session(std::string_view sid) {
  if (sid.empty()) return 0;
  auto now = clock_.now();
  auto families = refresh_.revoke_for_session(sid, now);
  if (!families) return tl::unexpected(families.error());
  auto n = access_.revoke_families(*families, now);
  if (!n) return n;
  return static_cast<int>(families->size());
}

}  // namespace portier::oidc
