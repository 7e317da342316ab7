// The logout token's claims (Back-Channel Logout 1.0 §2.4) and the checks
// on an RP-initiated logout's id_token_hint.
#include "oidc/logout_token.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "http/backchannel_poster.h"
#include "oidc/id_token_hint.h"
#include "oidc/jose/jws.h"
#include "storage/stores/sql_signing_key_store.h"
#include "support/sqlite_fixture.h"

namespace portier::oidc {
namespace {

using namespace std::chrono_literals;

constexpr const char* kIssuer = "https://portail.example.org";

TEST(LogoutToken, PayloadHasExactlyTheSpecsClaimsAndNoNonce) {
  LogoutTokenClaims c{kIssuer, "agenda", "42", "sid-1", "jti-1", from_unix(1'700'000'000), 120s};
  auto p = logout_token_payload(c);
  EXPECT_EQ(p.size(), 8u);
  EXPECT_EQ(p.at("iss").as_string(), kIssuer);
  EXPECT_EQ(p.at("aud").as_string(), "agenda");
  EXPECT_EQ(p.at("sub").as_string(), "42");
  EXPECT_EQ(p.at("sid").as_string(), "sid-1");
  EXPECT_EQ(p.at("jti").as_string(), "jti-1");
  EXPECT_EQ(p.at("iat").as_int64(), 1'700'000'000);
  EXPECT_EQ(p.at("exp").as_int64(), 1'700'000'120);
  EXPECT_FALSE(p.contains("nonce"));
  EXPECT_EQ(boost::json::serialize(p.at("events")),
            R"({"http://schemas.openid.net/event/backchannel-logout":{}})");
}

class IdTokenHintTest : public ::testing::Test {
protected:
  testing_support::SqliteStores s;
  SecretHasher secrets{std::string(32, 'k')};
  SodiumRandom random;
  storage::SqlSigningKeyStore key_store{s.db};
  KeyRing ring{key_store, secrets, random, s.clock, RotationPolicy{}, {jose::JwsAlg::ES256}};

  void SetUp() override { ASSERT_TRUE(ring.maintain()); }

  std::string sign(boost::json::object claims, std::string_view typ = {}) {
    auto key = ring.active(jose::JwsAlg::ES256);
    return *jose::sign_compact(key->key, key->kid, boost::json::serialize(claims), typ);
  }
  boost::json::object id_token() {
    return {{"iss", kIssuer}, {"aud", "agenda"}, {"sub", "42"}, {"sid", "sid-1"},
            {"iat", 1}, {"exp", 2}};  // long expired: still a good hint
  }
};

TEST_F(IdTokenHintTest, OurExpiredIdTokenNamesClientSubjectAndSession) {
  auto hint = verify_id_token_hint(sign(id_token()), ring, kIssuer);
  ASSERT_TRUE(hint) << hint.error().detail;
  EXPECT_EQ(hint->client_id, "agenda");
  EXPECT_EQ(hint->subject, "42");
  EXPECT_EQ(hint->sid, "sid-1");
}

TEST_F(IdTokenHintTest, AnAudienceListNamesItsOnlyMemberOrTheAuthorizedParty) {
  auto claims = id_token();
  claims["aud"] = boost::json::array{"agenda"};
  EXPECT_EQ(verify_id_token_hint(sign(claims), ring, kIssuer)->client_id, "agenda");
  claims["aud"] = boost::json::array{"agenda", "api"};
  claims["azp"] = "agenda";
  EXPECT_EQ(verify_id_token_hint(sign(claims), ring, kIssuer)->client_id, "agenda");
}

TEST_F(IdTokenHintTest, ForgeriesAndOtherTokensAreRefused) {
  auto good = sign(id_token());
  auto forged = good;
  forged[forged.size() - 2] = forged[forged.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_id_token_hint(forged, ring, kIssuer)) << "bad signature";
  EXPECT_FALSE(verify_id_token_hint(good, ring, "https://other.example.org")) << "another issuer";
  EXPECT_FALSE(verify_id_token_hint(sign(id_token(), "logout+jwt"), ring, kIssuer)) << "a logout token";
  auto no_aud = id_token();
  no_aud.erase("aud");
  EXPECT_FALSE(verify_id_token_hint(sign(no_aud), ring, kIssuer));
  EXPECT_FALSE(verify_id_token_hint("not.a.jwt", ring, kIssuer));
  // A key of its own, never published: same claims, unknown kid.
  auto stranger = jose::SigningKey::generate(jose::JwsAlg::ES256);
  auto foreign = jose::sign_compact(*stranger, "stranger", boost::json::serialize(id_token()));
  EXPECT_FALSE(verify_id_token_hint(*foreign, ring, kIssuer));
}

TEST(BackchannelPoster, PlainHttpOnlyToLoopbackAndNothingButHttpOrHttps) {
  http::BackchannelPoster poster;
  auto r = poster.post_form("http://agenda.example.org/bc", "logout_token=x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(poster.post_form("ftp://127.0.0.1/bc", "x").error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(poster.post_form("not a uri", "x").error().code, ErrorCode::InvalidInput);
}

TEST(BackchannelPoster, ARefusedConnectionIsUnavailableNotPermanent) {
  http::BackchannelPoster poster(std::chrono::milliseconds(500), std::chrono::seconds(1));
  // Port 9 (discard) on loopback: nothing listens in a test environment.
  auto r = poster.post_form("http://127.0.0.1:9/bc", "logout_token=x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::Unavailable);
}

}  // namespace
}  // namespace portier::oidc
