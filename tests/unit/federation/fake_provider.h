#pragma once
// A provider in memory for the relying party's unit tests: a canned
// HttpFetcher answering discovery, JWKS, token and UserInfo like PSC, with the
// ID token and UserInfo signed by src/oidc/jose keys and each field open to
// the test for spoiling one check at a time.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/encoding.h"
#include "federation/hs256.h"
#include "federation/http_fetcher.h"
#include "oidc/jose/jwk.h"
#include "oidc/jose/jws.h"

namespace portier::testing_support {

inline constexpr const char* kIssuer = "https://auth.example.test/auth/realms/esante-wallet";
inline constexpr const char* kDiscovery =
    "https://auth.example.test/auth/realms/esante-wallet/.well-known/wallet-openid-configuration";

struct SignedBy {
  oidc::jose::SigningKey key;
  std::string kid;
};

class FakeProvider final : public federation::HttpFetcher {
public:
  explicit FakeProvider(const Clock& clock) : clock_(clock) {
    keys.push_back({*oidc::jose::SigningKey::generate(oidc::jose::JwsAlg::ES256), "k1"});
    published = {0};
    discovery = {
        {"issuer", kIssuer},
        {"authorization_endpoint", "https://wallet.example.test/auth"},
        {"token_endpoint", std::string(kIssuer) + "/protocol/openid-connect/token"},
        {"userinfo_endpoint", std::string(kIssuer) + "/protocol/openid-connect/userinfo"},
        {"jwks_uri", std::string(kIssuer) + "/protocol/openid-connect/certs"},
        {"end_session_endpoint", std::string(kIssuer) + "/protocol/openid-connect/logout"},
        {"token_endpoint_auth_methods_supported", boost::json::array{"client_secret_basic", "client_secret_post"}},
    };
  }

  // What the next token answer's ID token says; the test sets nonce from the
  // authorization URL and may spoil any claim.
  boost::json::object id_claims() const {
    auto now = to_unix(clock_.now());
    return {{"iss", kIssuer}, {"aud", "reseau"}, {"sub", "f:abc:899700218896"}, {"exp", now + 120}, {"iat", now},
            {"nonce", nonce}, {"acr", "eidas1"}};
  }
  boost::json::object userinfo_claims() const {
    return {{"sub", "f:abc:899700218896"}, {"SubjectNameID", "899700218896"}, {"given_name", "Jeanne"},
            {"family_name", "Dupont"}, {"SubjectRefPro", {{"codeCivilite", "MME"}, {"exercices", boost::json::array{}}}},
            {"iss", kIssuer}, {"aud", "reseau"}};
  }

  Result<federation::HttpAnswer> fetch(const federation::HttpCall& call) override {
    calls.push_back(call);
    if (unreachable) return fail(ErrorCode::Unavailable, "connection refused");
    if (call.url == kDiscovery) return json(200, boost::json::serialize(discovery));
    if (call.url == std::string(kIssuer) + "/protocol/openid-connect/certs") {
      ++jwks_fetches;
      boost::json::array set;
      for (auto i : published) {
        auto jwk = *oidc::jose::public_jwk(keys[i].key, keys[i].kid);
        if (!publish_alg) jwk.erase("alg");  // RFC 7517 §4.4: alg is optional (Keycloak's RSA keys name it)
        set.push_back(std::move(jwk));
      }
      return json(200, boost::json::serialize(boost::json::object{{"keys", set}}));
    }
    if (call.url == std::string(kIssuer) + "/protocol/openid-connect/token") {
      token_request = call;
      if (token_status != 200) return json(token_status, R"({"error":"invalid_grant"})");
      auto claims = id_claims();
      if (edit_id_token) edit_id_token(claims);
      auto id_token = sign(boost::json::serialize(claims));
      if (tamper_signature) id_token[id_token.size() - 5] = id_token[id_token.size() - 5] == 'A' ? 'B' : 'A';
      return json(200, boost::json::serialize(boost::json::object{
                           {"access_token", "at-1"}, {"token_type", "Bearer"}, {"id_token", id_token}, {"expires_in", 60}}));
    }
    if (call.url == std::string(kIssuer) + "/protocol/openid-connect/userinfo") {
      auto claims = userinfo_claims();
      if (edit_userinfo) edit_userinfo(claims);
      auto text = boost::json::serialize(claims);
      if (userinfo_as == "json") return json(200, text);
      if (userinfo_as == "hs256") return {{200, "application/jwt", federation::sign_hs256(text, "s3cret")}};
      return {{200, "application/jwt", sign(text)}};
    }
    return {{404, "text/plain", "not found"}};
  }

  std::string sign(const std::string& payload) const {
    const auto& k = keys[signer];
    return *oidc::jose::sign_compact(k.key, k.kid, payload, "JWT");
  }

  // Adds a key, publishes it beside the old ones and signs with it.
  void rotate() {
    keys.push_back({*oidc::jose::SigningKey::generate(oidc::jose::JwsAlg::ES256), "k" + std::to_string(keys.size() + 1)});
    published.push_back(keys.size() - 1);
    signer = keys.size() - 1;
  }

  boost::json::object discovery;
  std::vector<SignedBy> keys;
  std::vector<std::size_t> published;
  std::size_t signer = 0;
  std::string nonce;
  int token_status = 200;
  bool tamper_signature = false;
  bool unreachable = false;
  bool publish_alg = true;
  std::string userinfo_as = "jwt";  // jwt (by kid), hs256 (client secret), json
  std::function<void(boost::json::object&)> edit_id_token, edit_userinfo;
  std::vector<federation::HttpCall> calls;
  federation::HttpCall token_request;
  int jwks_fetches = 0;

private:
  static Result<federation::HttpAnswer> json(int status, std::string body) {
    return federation::HttpAnswer{status, "application/json", std::move(body)};
  }
  const Clock& clock_;
};

}  // namespace portier::testing_support
