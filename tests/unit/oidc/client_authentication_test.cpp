#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "oidc/jose/jwk.h"
#include "oidc/jose/jws.h"
#include "unit/oidc/token_fixture.h"

namespace portier::oidc::test {
namespace {

using namespace std::chrono_literals;

class ClientAuthenticationTest : public TokenFixture {
protected:
  void SetUp() override {
    TokenFixture::SetUp();
    auth_ = std::make_unique<ClientAuthenticator>(clients_, *replay_, secrets_, s_.clock,
                                                  std::vector<std::string>{"https://portail.example",
                                                                           "https://portail.example/token"});
    post_ = add_client("poster", ClientAuthMethod::ClientSecretPost);
    spa_ = add_client("spa", ClientAuthMethod::None);
    jwt_ = add_client("signer", ClientAuthMethod::PrivateKeyJwt);
    key_ = *jose::SigningKey::generate(jose::JwsAlg::ES256);
    auto jwk = *jose::public_jwk(key_, "client-key-1");
    jwt_.jwks = boost::json::serialize(boost::json::object{{"keys", boost::json::array{jwk}}});
    ASSERT_TRUE(clients_.update(jwt_));
  }

  std::string reason(const tl::expected<Client, ClientAuthRefusal>& r) { return r ? "ok:" + r->client_id : r.error().reason; }

  PresentedCredentials basic(std::string id, std::string secret) {
    PresentedCredentials p;
    p.basic_id = std::move(id);
    p.basic_secret = std::move(secret);
    return p;
  }

  std::string assertion(boost::json::object claims, const jose::SigningKey* key = nullptr) {
    return *jose::sign_compact(key ? *key : key_, "client-key-1", boost::json::serialize(claims));
  }
  boost::json::object claims(std::string jti = "jti-1") {
    return {{"iss", "signer"}, {"sub", "signer"}, {"aud", "https://portail.example/token"},
            {"exp", to_unix(s_.clock.now() + 2min)}, {"jti", jti}};
  }
  PresentedCredentials by_jwt(std::string token) {
    PresentedCredentials p;
    p.assertion_type = std::string(kJwtBearerAssertionType);
    p.assertion = std::move(token);
    return p;
  }

  std::unique_ptr<ClientAuthenticator> auth_;
  Client post_, spa_, jwt_;
  jose::SigningKey key_ = *jose::SigningKey::generate(jose::JwsAlg::EdDSA);
};

TEST_F(ClientAuthenticationTest, SecretsInTheRegisteredPlaceOnly) {
  EXPECT_EQ(reason(auth_->authenticate(basic("app", "secret-of-app"))), "ok:app");
  EXPECT_EQ(reason(auth_->authenticate(basic("app", "wrong"))), "wrong_secret");
  EXPECT_EQ(reason(auth_->authenticate(basic("ghost", "x"))), "unknown_client");
  PresentedCredentials post;
  post.client_id = "poster";
  post.client_secret = "secret-of-poster";
  EXPECT_EQ(reason(auth_->authenticate(post)), "ok:poster");
  // The right secret, the wrong way: refused.
  EXPECT_EQ(reason(auth_->authenticate(basic("poster", "secret-of-poster"))), "wrong_method");
  PresentedCredentials app_in_form;
  app_in_form.client_id = "app";
  app_in_form.client_secret = "secret-of-app";
  EXPECT_EQ(reason(auth_->authenticate(app_in_form)), "wrong_method");
}

TEST_F(ClientAuthenticationTest, ExactlyOneMethod) {
  auto p = basic("app", "secret-of-app");
  p.client_secret = "secret-of-app";
  auto r = auth_->authenticate(p);
  EXPECT_EQ(reason(r), "several_methods");
  EXPECT_TRUE(r.error().basic);
  auto q = basic("app", "secret-of-app");
  q.client_id = "poster";
  EXPECT_EQ(reason(auth_->authenticate(q)), "client_id_mismatch");
  PresentedCredentials malformed;
  malformed.basic_malformed = true;
  EXPECT_EQ(reason(auth_->authenticate(malformed)), "malformed");
  EXPECT_EQ(reason(auth_->authenticate(PresentedCredentials{})), "no_client");
}

TEST_F(ClientAuthenticationTest, PublicClientsByIdAloneConfidentialOnesNever) {
  PresentedCredentials spa;
  spa.client_id = "spa";
  EXPECT_EQ(reason(auth_->authenticate(spa)), "ok:spa");
  PresentedCredentials app;
  app.client_id = "app";
  EXPECT_EQ(reason(auth_->authenticate(app)), "no_credentials");
}

TEST_F(ClientAuthenticationTest, PrivateKeyJwtOnceWithinFiveMinutes) {
  auto token = assertion(claims());
  EXPECT_EQ(reason(auth_->authenticate(by_jwt(token))), "ok:signer");
  EXPECT_EQ(reason(auth_->authenticate(by_jwt(token))), "assertion_replayed");

  auto c = claims("jti-2");
  c["exp"] = to_unix(s_.clock.now() + 6min);
  EXPECT_EQ(reason(auth_->authenticate(by_jwt(assertion(c)))), "assertion_too_long");
  c = claims("jti-3");
  c.erase("exp");
  EXPECT_EQ(reason(auth_->authenticate(by_jwt(assertion(c)))), "no_exp");
  c = claims("jti-4");
  c["exp"] = to_unix(s_.clock.now() - 1s);
  EXPECT_EQ(reason(auth_->authenticate(by_jwt(assertion(c)))), "expired_assertion");
  c = claims("jti-5");
  c["aud"] = "https://elsewhere.example/token";
  EXPECT_EQ(reason(auth_->authenticate(by_jwt(assertion(c)))), "bad_audience");
  c = claims("jti-6");
  c["aud"] = boost::json::array{"https://x.example", "https://portail.example"};
  EXPECT_EQ(reason(auth_->authenticate(by_jwt(assertion(c)))), "ok:signer");
  c = claims("jti-7");
  c.erase("jti");
  EXPECT_EQ(reason(auth_->authenticate(by_jwt(assertion(c)))), "no_jti");
  c = claims("jti-8");
  c["iss"] = "app";
  EXPECT_EQ(reason(auth_->authenticate(by_jwt(assertion(c)))), "bad_assertion");
  auto stranger = *jose::SigningKey::generate(jose::JwsAlg::ES256);
  EXPECT_EQ(reason(auth_->authenticate(by_jwt(assertion(claims("jti-9"), &stranger)))), "bad_signature");
  auto wrong_type = by_jwt(assertion(claims("jti-10")));
  wrong_type.assertion_type = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer";
  EXPECT_EQ(reason(auth_->authenticate(wrong_type)), "bad_assertion");
}

// A replay cache that cannot answer (its database is down).
struct DownReplayCache : AssertionReplayCache {
  Result<bool> remember(std::string_view, std::string_view, TimePoint) override {
    return fail(ErrorCode::Unavailable, "database unreachable");
  }
  Result<int> purge_expired(TimePoint) override { return fail(ErrorCode::Unavailable, "database unreachable"); }
};

TEST_F(ClientAuthenticationTest, AnUncheckableAssertionIsUnavailableNotInvalid) {
  DownReplayCache down;
  ClientAuthenticator auth(clients_, down, secrets_, s_.clock, {"https://portail.example/token"});
  auto r = auth.authenticate(by_jwt(assertion(claims())));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().unavailable);
  EXPECT_EQ(r.error().reason, "replay_cache_unavailable");
  // A wrong secret stays an ordinary refusal.
  auto wrong = auth_->authenticate(basic("poster", "nope"));
  ASSERT_FALSE(wrong);
  EXPECT_FALSE(wrong.error().unavailable);
}

TEST_F(ClientAuthenticationTest, AnAssertionForAClientRegisteredOtherwiseIsRefused) {
  auto c = claims("jti-x");
  c["iss"] = c["sub"] = "app";
  EXPECT_EQ(reason(auth_->authenticate(by_jwt(assertion(c)))), "wrong_method");
}

}  // namespace
}  // namespace portier::oidc::test
