#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/encoding.h"
#include "oidc/subject.h"
#include "oidc/jose/jws.h"
#include "unit/oidc/token_fixture.h"

namespace portier::oidc::test {
namespace {

using namespace std::chrono_literals;

struct Jwt {
  boost::json::object header;
  boost::json::object claims;
};

// Verifies with the ring's published key named by the token's kid.
Jwt open_jwt(KeyRing& ring, std::string_view token) {
  auto header = jose::peek_header(token);
  EXPECT_TRUE(header);
  auto key = ring.by_kid(header->at("kid").as_string());
  EXPECT_TRUE(key);
  auto verified = jose::verify_compact(token, *key);
  EXPECT_TRUE(verified) << (verified ? "" : verified.error().detail);
  return {verified->header, boost::json::parse(verified->payload).as_object()};
}

class TokenServiceTest : public TokenFixture {
protected:
  TokenResponse redeem(const CodeGrant& g) {
    auto code = service_->issue_code(g);
    EXPECT_TRUE(code);
    auto out = service_->redeem_code(app_, *code, g.redirect_uri, kVerifier);
    EXPECT_TRUE(out) << (out ? "" : out.error().reason);
    return out ? *out : TokenResponse{};
  }
  std::string refusal(const Outcome<TokenResponse>& r) { return r ? "issued" : r.error().reason; }
};

TEST_F(TokenServiceTest, CodeRedemptionIssuesASignedIdTokenWithTheSignInFacts) {
  auto g = grant();
  auto out = redeem(g);
  EXPECT_FALSE(out.access_token.empty());
  EXPECT_FALSE(out.refresh_token.empty()) << "the client has the refresh_token grant";
  EXPECT_EQ(out.scope, "openid profile email");
  auto jwt = open_jwt(*ring_, out.id_token);
  EXPECT_EQ(jwt.header.at("typ").as_string(), "JWT");
  EXPECT_EQ(jwt.header.at("alg").as_string(), "RS256");
  auto& c = jwt.claims;
  EXPECT_EQ(c.at("iss").as_string(), "https://portail.example");
  EXPECT_EQ(c.at("sub").as_string(), subject_of(secrets_, member_.id));
  EXPECT_NE(c.at("sub").as_string(), std::to_string(member_.id));
  EXPECT_EQ(c.at("aud").as_string(), "app");
  EXPECT_EQ(c.at("azp").as_string(), "app");
  EXPECT_EQ(c.at("iat").as_int64(), to_unix(s_.clock.now()));
  EXPECT_EQ(c.at("exp").as_int64(), to_unix(s_.clock.now() + 600s));
  EXPECT_EQ(c.at("auth_time").as_int64(), to_unix(g.auth_time));
  EXPECT_EQ(c.at("nonce").as_string(), g.nonce);
  EXPECT_EQ(c.at("acr").as_string(), "urn:portier:acr:mfa");
  EXPECT_EQ(c.at("amr").as_array().size(), 2u);
  EXPECT_EQ(c.at("sid").as_string(), "sid-of-session");
  // at_hash: left half of SHA-256 of the access token (RS256).
  unsigned char h[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(out.access_token.data(), out.access_token.size(), h, &len, EVP_sha256(), nullptr);
  EXPECT_EQ(c.at("at_hash").as_string(), base64url_encode(std::string_view(reinterpret_cast<char*>(h), len / 2)));
  // email is in the client's id_token_claims; profile's claims are not.
  EXPECT_EQ(c.at("email").as_string(), "marie@example.org");
  EXPECT_FALSE(c.contains("name"));
  EXPECT_FALSE(c.contains("preferred_username"));
}

TEST_F(TokenServiceTest, IdTokenIsSignedWithTheClientsAlgorithm) {
  app_.id_token_alg = "EdDSA";
  auto out = redeem(grant());
  auto jwt = open_jwt(*ring_, out.id_token);
  EXPECT_EQ(jwt.header.at("alg").as_string(), "EdDSA");
}

TEST_F(TokenServiceTest, ACodeWorksOnceAndItsReuseRevokesWhatItIssued) {
  auto g = grant();
  auto code = *service_->issue_code(g);
  auto first = service_->redeem_code(app_, code, g.redirect_uri, kVerifier);
  ASSERT_TRUE(first);
  ASSERT_TRUE(service_->validate_access_token(first->access_token));
  auto second = service_->redeem_code(app_, code, g.redirect_uri, kVerifier);
  EXPECT_EQ(refusal(second), "code_reused");
  EXPECT_EQ(second.error().error, "invalid_grant");
  EXPECT_FALSE(service_->validate_access_token(first->access_token)) << "the first access token is revoked";
  EXPECT_EQ(refusal(service_->refresh(app_, first->refresh_token, std::nullopt)), "revoked");
}

// The Basic OP plan's "code reuse after 30 seconds", and later still: past
// the code's own expiry a reuse is still recognised as one and revokes.
TEST_F(TokenServiceTest, ACodeReusedLaterStillRevokesWhatItIssued) {
  for (auto wait : {30s, 90s}) {
    auto g = grant();
    auto code = *service_->issue_code(g);
    auto first = service_->redeem_code(app_, code, g.redirect_uri, kVerifier);
    ASSERT_TRUE(first);
    s_.clock.advance(wait);
    EXPECT_EQ(refusal(service_->redeem_code(app_, code, g.redirect_uri, kVerifier)), "code_reused") << wait.count();
    EXPECT_FALSE(service_->validate_access_token(first->access_token)) << wait.count();
    EXPECT_EQ(refusal(service_->refresh(app_, first->refresh_token, std::nullopt)), "revoked") << wait.count();
  }
}

TEST_F(TokenServiceTest, CodeRefusals) {
  auto g = grant();
  auto code = [&] { return *service_->issue_code(g); };
  EXPECT_EQ(refusal(service_->redeem_code(app_, "not-a-code", g.redirect_uri, kVerifier)), "unknown_code");
  EXPECT_EQ(refusal(service_->redeem_code(app_, code(), g.redirect_uri + "/", kVerifier)), "redirect_uri_mismatch");
  EXPECT_EQ(refusal(service_->redeem_code(app_, code(), g.redirect_uri, std::string(43, 'a'))), "pkce_failed");
  EXPECT_EQ(refusal(service_->redeem_code(app_, code(), g.redirect_uri, "")), "pkce_failed");
  auto other = add_client("other");
  EXPECT_EQ(refusal(service_->redeem_code(other, code(), g.redirect_uri, kVerifier)), "client_mismatch");
  auto late = code();
  s_.clock.advance(61s);
  EXPECT_EQ(refusal(service_->redeem_code(app_, late, g.redirect_uri, kVerifier)), "expired_code");
  // Without a challenge: refused for a client that requires PKCE, and a
  // verifier sent anyway is a downgrade attempt.
  g.code_challenge.clear();
  EXPECT_EQ(refusal(service_->redeem_code(app_, code(), g.redirect_uri, "")), "pkce_required");
  app_.require_pkce = false;
  EXPECT_EQ(refusal(service_->redeem_code(app_, code(), g.redirect_uri, kVerifier)), "pkce_failed");
  EXPECT_EQ(refusal(service_->redeem_code(app_, code(), g.redirect_uri, "")), "issued");
}

TEST_F(TokenServiceTest, RefreshRotatesKeepsTheSignInAndDetectsReuse) {
  auto first = redeem(grant({"openid", "profile", "email"}));
  s_.clock.advance(5min);
  auto second = service_->refresh(app_, first.refresh_token, std::nullopt);
  ASSERT_TRUE(second) << second.error().reason;
  EXPECT_NE(second->refresh_token, first.refresh_token);
  auto jwt = open_jwt(*ring_, second->id_token);
  EXPECT_EQ(jwt.claims.at("auth_time").as_int64(), to_unix(grant().auth_time - 5min));
  EXPECT_EQ(jwt.claims.at("sid").as_string(), "sid-of-session");
  EXPECT_EQ(jwt.claims.at("acr").as_string(), "urn:portier:acr:mfa");
  EXPECT_FALSE(jwt.claims.contains("nonce"));
  // Within the grace: a fresh token of the family, not the successor again.
  s_.clock.advance(5s);
  auto parallel = service_->refresh(app_, first.refresh_token, std::nullopt);
  ASSERT_TRUE(parallel) << parallel.error().reason;
  EXPECT_NE(parallel->refresh_token, second->refresh_token);
  // After it: reuse, and the whole family ends.
  s_.clock.advance(10s);
  EXPECT_EQ(refusal(service_->refresh(app_, first.refresh_token, std::nullopt)), "refresh_reused");
  EXPECT_EQ(refusal(service_->refresh(app_, second->refresh_token, std::nullopt)), "revoked");
  EXPECT_EQ(refusal(service_->refresh(app_, parallel->refresh_token, std::nullopt)), "revoked");
  EXPECT_FALSE(service_->validate_access_token(second->access_token));
}

TEST_F(TokenServiceTest, RefreshIsBoundToItsClientAndMayOnlyNarrow) {
  auto first = redeem(grant({"openid", "profile", "email"}));
  auto other = add_client("other");
  EXPECT_EQ(refusal(service_->refresh(other, first.refresh_token, std::nullopt)), "client_mismatch");
  EXPECT_EQ(refusal(service_->refresh(app_, first.refresh_token, std::string("openid phone"))), "scope_widened");
  auto narrow = service_->refresh(app_, first.refresh_token, std::string("openid email"));
  ASSERT_TRUE(narrow) << narrow.error().reason;
  EXPECT_EQ(narrow->scope, "openid email");
  // The family keeps its grant: the next refresh may ask for profile again.
  auto wide = service_->refresh(app_, narrow->refresh_token, std::string("openid profile"));
  EXPECT_TRUE(wide) << (wide ? "" : wide.error().reason);
}

TEST_F(TokenServiceTest, RefreshEndsAfterItsIdleAndAbsoluteLifetimes) {
  auto out = redeem(grant());
  s_.clock.advance(15 * 24h);
  EXPECT_EQ(refusal(service_->refresh(app_, out.refresh_token, std::nullopt)), "expired");
}

TEST_F(TokenServiceTest, UserInfoReleasesTheClaimsOfTheScopes) {
  auto out = redeem(grant({"openid", "profile", "email", "phone", "rpps", "roles"}));
  auto token = service_->validate_access_token(out.access_token);
  ASSERT_TRUE(token);
  auto info = service_->userinfo(*token);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->at("sub").as_string(), subject_of(secrets_, member_.id));
  EXPECT_EQ(info->at("name").as_string(), "Marie Curie");
  EXPECT_EQ(info->at("preferred_username").as_string(), "mcurie");
  EXPECT_EQ(info->at("email").as_string(), "marie@example.org");
  EXPECT_TRUE(info->at("email_verified").as_bool());
  EXPECT_EQ(info->at("phone_number").as_string(), "+33612345678");
  EXPECT_FALSE(info->at("phone_number_verified").as_bool());
  EXPECT_EQ(info->at("rpps").as_string(), "10001234567");
  EXPECT_EQ(info->at("roles").as_array().at(0).as_string(), "member");

  auto narrow = redeem(grant({"openid"}));
  auto only_sub = service_->userinfo(*service_->validate_access_token(narrow.access_token));
  ASSERT_TRUE(only_sub);
  EXPECT_EQ(only_sub->size(), 1u);
}

TEST_F(TokenServiceTest, ClientCredentialsJwtAccessTokenIntrospectionAndRevocation) {
  app_.access_token_format = AccessTokenFormat::Jwt;
  app_.access_token_audience = "https://api.example";
  auto out = service_->client_credentials(app_, std::string("api.read"));
  ASSERT_TRUE(out) << out.error().reason;
  EXPECT_TRUE(out->refresh_token.empty());
  EXPECT_TRUE(out->id_token.empty());
  auto jwt = open_jwt(*ring_, out->access_token);
  EXPECT_EQ(jwt.header.at("typ").as_string(), "at+jwt");
  EXPECT_EQ(jwt.claims.at("aud").as_string(), "https://api.example");
  EXPECT_EQ(jwt.claims.at("client_id").as_string(), "app");
  EXPECT_EQ(jwt.claims.at("sub").as_string(), "app");
  EXPECT_EQ(jwt.claims.at("scope").as_string(), "api.read");
  EXPECT_TRUE(jwt.claims.contains("jti"));

  auto seen = service_->introspect(app_, out->access_token, "");
  ASSERT_TRUE(seen);
  EXPECT_TRUE(seen->at("active").as_bool());
  EXPECT_EQ(seen->at("scope").as_string(), "api.read");
  auto other = add_client("other");
  EXPECT_FALSE(service_->introspect(other, out->access_token, "")->at("active").as_bool());
  EXPECT_FALSE(*service_->revoke(other, out->access_token, "")) << "not its token";
  EXPECT_TRUE(*service_->revoke(app_, out->access_token, "access_token"));
  EXPECT_FALSE(service_->introspect(app_, out->access_token, "")->at("active").as_bool());
  EXPECT_FALSE(service_->userinfo(*service_->client_credentials(app_, std::nullopt).and_then([&](auto r) {
                  return service_->validate_access_token(r.access_token);
                }))) << "no member behind a client_credentials token";

  EXPECT_EQ(refusal(service_->client_credentials(app_, std::string("openid"))), "scope_refused");
  app_.grant_types = {"authorization_code"};
  EXPECT_EQ(refusal(service_->client_credentials(app_, std::nullopt)), "grant_not_allowed");
}

// The token endpoint's audit event is written in the access token's own
// transaction (one durable commit per grant): both are there, or neither.
TEST_F(TokenServiceTest, TheGrantsAuditEventIsCommittedWithItsAccessToken) {
  auto count = [&](const char* sql) {
    auto lease = s_.db->acquire();
    auto stmt = lease.query(sql);
    EXPECT_TRUE(stmt && stmt->step().value());
    return stmt->int64(0);
  };
  IssuedEvent describe = [&](const TokenResponse& t) {
    AuditEvent e;
    e.at = s_.clock.now();
    e.event = "oidc.token_issued";
    e.ip = "192.0.2.7";
    e.detail = "client=app grant=client_credentials scope=" + t.scope;
    return e;
  };
  auto out = service_->client_credentials(app_, std::string("api.read"), describe);
  ASSERT_TRUE(out) << out.error().reason;
  EXPECT_TRUE(service_->validate_access_token(out->access_token));
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE event = 'oidc.token_issued'"
                  " AND detail = 'client=app grant=client_credentials scope=api.read'"),
            1);

  // An event the database refuses (NOT NULL event) fails the grant, and its
  // token is not kept: no token without its audit event.
  auto before = count("SELECT COUNT(*) FROM oidc_access_tokens");
  IssuedEvent refused = [&](const TokenResponse&) {
    AuditEvent e = describe(TokenResponse{});
    e.event.clear();
    return e;
  };
  ASSERT_TRUE(s_.db->acquire().exec(
      "CREATE TRIGGER no_empty_event BEFORE INSERT ON audit_events WHEN NEW.event = ''"
      " BEGIN SELECT RAISE(ABORT, 'empty event'); END"));
  auto failed = service_->client_credentials(app_, std::string("api.read"), refused);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().error, "server_error");
  EXPECT_EQ(count("SELECT COUNT(*) FROM oidc_access_tokens"), before);

  // The code grant too: the ID token is made before the commit, so the
  // event is only written for a grant that is answered.
  auto code = service_->issue_code(grant());
  ASSERT_TRUE(code);
  auto redeemed = service_->redeem_code(app_, *code, app_.redirect_uris[0], kVerifier, describe);
  ASSERT_TRUE(redeemed) << redeemed.error().reason;
  EXPECT_FALSE(redeemed->id_token.empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE event = 'oidc.token_issued'"), 2);
}

TEST_F(TokenServiceTest, AccessTokensExpireAndUnknownOnesAreRefused) {
  auto out = redeem(grant());
  EXPECT_FALSE(service_->validate_access_token("garbage"));
  EXPECT_FALSE(service_->validate_access_token("a.b.c"));
  s_.clock.advance(601s);
  auto expired = service_->validate_access_token(out.access_token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().status, 401);
  EXPECT_EQ(expired.error().error, "invalid_token");
}

TEST_F(TokenServiceTest, RevokingARefreshTokenEndsItsFamilyAndAccessTokens) {
  auto out = redeem(grant());
  EXPECT_TRUE(service_->introspect(app_, out.refresh_token, "refresh_token")->at("active").as_bool());
  EXPECT_TRUE(*service_->revoke(app_, out.refresh_token, ""));
  EXPECT_FALSE(service_->introspect(app_, out.refresh_token, "refresh_token")->at("active").as_bool());
  EXPECT_FALSE(service_->validate_access_token(out.access_token));
  EXPECT_FALSE(*service_->revoke(app_, "unknown", "")) << "unknown tokens: nothing, and no error";
}

TEST_F(TokenServiceTest, SignOutEndsTheSessionsGrantsButNotOfflineOnes) {
  auto online = redeem(grant({"openid"}));
  auto offline = redeem(grant({"openid", "offline_access"}));
  ASSERT_TRUE(service_->revoke_for_session("sid-of-session"));
  EXPECT_EQ(refusal(service_->refresh(app_, online.refresh_token, std::nullopt)), "revoked");
  EXPECT_FALSE(service_->validate_access_token(online.access_token));
  EXPECT_EQ(refusal(service_->refresh(app_, offline.refresh_token, std::nullopt)), "issued");
}

TEST_F(TokenServiceTest, MonEspaceRevokesEveryGrantOfAnAccountToAClient) {
  auto out = redeem(grant({"openid", "offline_access"}));
  auto n = service_->revoke_for(member_.id, "app");
  ASSERT_TRUE(n);
  EXPECT_GE(*n, 2);
  EXPECT_EQ(refusal(service_->refresh(app_, out.refresh_token, std::nullopt)), "revoked");
  EXPECT_FALSE(service_->validate_access_token(out.access_token));
}

TEST_F(TokenServiceTest, AnInactiveAccountGetsNoTokens) {
  auto out = redeem(grant());
  ASSERT_TRUE(s_.accounts->set_status(member_.id, AccountStatus::Disabled));
  EXPECT_EQ(refusal(service_->refresh(app_, out.refresh_token, std::nullopt)), "account_inactive");
  auto g = grant();
  EXPECT_EQ(refusal(service_->redeem_code(app_, *service_->issue_code(g), g.redirect_uri, kVerifier)),
            "account_inactive");
}

}  // namespace
}  // namespace portier::oidc::test
