#pragma once
// portier as a strict OpenID Connect relying party of one external provider
// (Pro Santé Connect, or an establishment's own): authorization code flow
// with PKCE S256, state and nonce; the answer, the ID token and UserInfo
// checked before any identity is believed. No HTTP pages here: the web part
// calls begin() and finish() and keeps the PendingLogin in a flow.
// Thread-safe: the discovery document and the keys are cached behind locks.
#include <boost/json/object.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "config/federation_config.h"
#include "federation/http_fetcher.h"
#include "federation/key_set_cache.h"
#include "federation/pending_login.h"
#include "federation/provider_metadata.h"
#include "federation/refusal.h"
#include "oidc/jose/signing_key.h"

namespace portier::federation {

// What the provider vouched for, after every check.
struct FederatedIdentity {
  std::string provider;   // configured id
  std::string issuer;
  std::string subject;    // the ID token's sub
  std::string person_id;  // the subject_claim's value (PSC: SubjectNameID, "8" + RPPS)
  std::string given_name;
  std::string family_name;
  std::string email;
  std::string acr;
  std::string id_token;         // kept for RP-initiated logout (id_token_hint)
  boost::json::object claims;   // UserInfo's claims as they came (PSC: SubjectRefPro, ...), else the ID token's
};

struct AuthorizationStart {
  std::string url;     // where to send the browser
  PendingLogin kept;   // to keep server-side until the answer
};

using FinishOutcome = std::variant<FederatedIdentity, Refused>;

class RelyingParty {
public:
  static constexpr std::chrono::hours kDiscoveryMaxAge{1};
  static constexpr std::chrono::minutes kLoginLifetime{10};

  // How long a private_key_jwt client assertion is valid (RFC 7523 §3: short).
  static constexpr std::chrono::seconds kAssertionLifetime{60};

  RelyingParty(FederationProviderConfig provider, HttpFetcher& http, const Clock& clock, Random& random);

  const FederationProviderConfig& provider() const { return provider_; }

  // The discovery document, fetched once and kept for kDiscoveryMaxAge.
  Result<ProviderMetadata> metadata();
  // Fetches the provider's keys now; the number of usable ones.
  Result<std::size_t> refresh_keys();

  // The authorization URL for a sign-in answering at `redirect_uri`.
  Result<AuthorizationStart> begin(const std::string& redirect_uri);
  // Judges the provider's answer (the redirect's query parameters) against
  // what begin() kept; exchanges the code, verifies, fetches UserInfo.
  FinishOutcome finish(const PendingLogin& kept, const std::map<std::string, std::string>& answer);

  // OpenID Connect RP-Initiated Logout 1.0 §2: the provider's
  // end_session_endpoint with id_token_hint, client_id,
  // post_logout_redirect_uri and state. NotFound when the provider announces
  // no end_session_endpoint; Unavailable/InvalidInput when discovery fails.
  Result<std::string> logout_url(const std::string& id_token_hint, const std::string& post_logout_redirect_uri,
                                 const std::string& state);

  // private_key_jwt: the public JWK to register at the provider (kid: its
  // RFC 7638 thumbprint, alg: client_signing_alg); InvalidInput when the
  // provider is not configured with a private key.
  Result<boost::json::object> client_public_jwk() const;
  // The RFC 7523 client assertion for `token_endpoint` (iss = sub =
  // client_id, aud, jti of 256 random bits, iat, exp kAssertionLifetime later).
  Result<std::string> client_assertion(const std::string& token_endpoint);

private:
  struct Tokens {
    std::string id_token;
    std::string access_token;
  };
  std::variant<Tokens, Refused> exchange_code(const ProviderMetadata& m, const PendingLogin& kept, const std::string& code);
  std::variant<boost::json::object, Refused> verify_id_token(const ProviderMetadata& m, const std::string& token);
  std::variant<boost::json::object, Refused> fetch_userinfo(const ProviderMetadata& m, const std::string& access_token);

  FederationProviderConfig provider_;
  HttpFetcher& http_;
  const Clock& clock_;
  Random& random_;
  KeySetCache keys_;
  std::optional<oidc::jose::SigningKey> client_key_;  // private_key_jwt
  std::string client_key_problem_;
  std::mutex mutex_;
  std::optional<ProviderMetadata> metadata_;
  TimePoint metadata_at_{};
};

// Where a provider sends the browser back: "/federation/<id>/retour" under
// public_url. Registered at the provider; the web part serves it.
inline std::string redirect_path(std::string_view provider_id) {
  return "/federation/" + std::string(provider_id) + "/retour";
}

// Where a provider sends the browser back after RP-initiated logout:
// "/federation/<id>/deconnexion" under public_url, registered at the provider
// as a post_logout_redirect_uri.
inline std::string post_logout_path(std::string_view provider_id) {
  return "/federation/" + std::string(provider_id) + "/deconnexion";
}

// application/x-www-form-urlencoded value (RFC 6749 appendix B).
std::string form_encode(std::string_view value);
// base64url(SHA-256(verifier)) (RFC 7636 §4.2).
std::string pkce_challenge(std::string_view verifier);

}  // namespace portier::federation
