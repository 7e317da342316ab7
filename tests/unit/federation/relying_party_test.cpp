// The relying party against a canned provider: every check refuses exactly
// the answer it is for, with its own reason word, and a well-behaved PSC
// answer gives the identity.
#include "federation/relying_party.h"

#include <gtest/gtest.h>

#include <boost/url/parse.hpp>

#include "unit/federation/fake_provider.h"

namespace portier::federation {
namespace {

using testing_support::FakeProvider;
using testing_support::kDiscovery;
using testing_support::kIssuer;

class StepRandom final : public Random {
public:
  void fill(unsigned char* out, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<unsigned char>(next_ * 31 + i);
    ++next_;
  }

private:
  unsigned next_ = 1;
};

FederationProviderConfig psc() {
  FederationProviderConfig p;
  p.id = "psc";
  p.preset = "psc";
  p.discovery_url = kDiscovery;
  p.issuer = kIssuer;
  p.client_id = "reseau";
  p.client_secret = "s3cret";
  p.scopes = "openid scope_all";
  p.acr_values = "eidas1";
  p.subject_claim = "SubjectNameID";
  return p;
}

std::map<std::string, std::string> query_of(const std::string& url) {
  std::map<std::string, std::string> q;
  for (auto param : boost::urls::parse_uri(url)->params()) q.emplace(param.key, param.value);
  return q;
}

class RelyingPartyTest : public ::testing::Test {
protected:
  FakeClock clock;
  StepRandom random;
  FakeProvider op{clock};
  RelyingParty rp{psc(), op, clock, random};
  PendingLogin kept;

  // Starts a sign-in and returns the answer a faithful provider would send back.
  std::map<std::string, std::string> start() {
    auto s = rp.begin("https://portier.example.org/federation/psc/retour");
    EXPECT_TRUE(s.has_value());
    kept = s->kept;
    op.nonce = kept.nonce;
    return {{"state", kept.state}, {"code", "c0de"}};
  }
  Refused refused(const std::map<std::string, std::string>& answer) {
    auto outcome = rp.finish(kept, answer);
    EXPECT_TRUE(std::holds_alternative<Refused>(outcome)) << "accepted";
    return std::holds_alternative<Refused>(outcome) ? std::get<Refused>(outcome) : Refused{};
  }
  FederatedIdentity accepted(const std::map<std::string, std::string>& answer) {
    auto outcome = rp.finish(kept, answer);
    if (auto* r = std::get_if<Refused>(&outcome)) ADD_FAILURE() << to_word(r->reason) << ": " << r->detail;
    return std::holds_alternative<FederatedIdentity>(outcome) ? std::get<FederatedIdentity>(outcome) : FederatedIdentity{};
  }
};

TEST_F(RelyingPartyTest, AuthorizationUrlCarriesEverythingAskedOnTheWalletHost) {
  auto s = rp.begin("https://portier.example.org/federation/psc/retour");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->url.rfind("https://wallet.example.test/auth?", 0), 0u) << s->url;
  auto q = query_of(s->url);
  EXPECT_EQ(q["response_type"], "code");
  EXPECT_EQ(q["client_id"], "reseau");
  EXPECT_EQ(q["redirect_uri"], "https://portier.example.org/federation/psc/retour");
  EXPECT_EQ(q["scope"], "openid scope_all");
  EXPECT_EQ(q["acr_values"], "eidas1");
  EXPECT_EQ(q["code_challenge_method"], "S256");
  EXPECT_EQ(q["code_challenge"], pkce_challenge(s->kept.code_verifier));
  EXPECT_EQ(q["state"], s->kept.state);
  EXPECT_EQ(q["nonce"], s->kept.nonce);
  EXPECT_GE(s->kept.code_verifier.size(), 43u);
  EXPECT_NE(s->kept.state, s->kept.nonce);
  EXPECT_EQ(q.count("code_verifier"), 0u) << "the verifier never leaves the server";
}

TEST_F(RelyingPartyTest, PkceChallengeIsRfc7636AppendixB) {
  EXPECT_EQ(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_F(RelyingPartyTest, PendingLoginSurvivesItsJson) {
  start();
  auto back = pending_login_from_json(to_json(kept));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->state, kept.state);
  EXPECT_EQ(back->code_verifier, kept.code_verifier);
  EXPECT_EQ(back->issued_at, kept.issued_at);
  EXPECT_FALSE(pending_login_from_json(R"({"state":"x"})").has_value());
}

TEST_F(RelyingPartyTest, FaithfulAnswerGivesTheIdentity) {
  auto who = accepted(start());
  EXPECT_EQ(who.provider, "psc");
  EXPECT_EQ(who.subject, "f:abc:899700218896");
  EXPECT_EQ(who.person_id, "899700218896");
  EXPECT_EQ(who.given_name, "Jeanne");
  EXPECT_EQ(who.family_name, "Dupont");
  EXPECT_EQ(who.acr, "eidas1");
  EXPECT_TRUE(who.claims.contains("SubjectRefPro"));
  EXPECT_FALSE(who.id_token.empty());
  // The code went back with the verifier and the same redirect_uri, the
  // client authenticated by HTTP Basic (announced first).
  auto q = query_of("https://x/?" + op.token_request.body);
  EXPECT_EQ(q["grant_type"], "authorization_code");
  EXPECT_EQ(q["code"], "c0de");
  EXPECT_EQ(q["code_verifier"], kept.code_verifier);
  EXPECT_EQ(q["redirect_uri"], kept.redirect_uri);
  EXPECT_EQ(q.count("client_secret"), 0u);
  ASSERT_EQ(op.token_request.headers.size(), 2u);
  EXPECT_EQ(op.token_request.headers[1].second, "Basic cmVzZWF1OnMzY3JldA==");
}

TEST_F(RelyingPartyTest, ClientSecretPostWhenOnlyThatIsAnnounced) {
  op.discovery["token_endpoint_auth_methods_supported"] = boost::json::array{"client_secret_post"};
  accepted(start());
  auto q = query_of("https://x/?" + op.token_request.body);
  EXPECT_EQ(q["client_id"], "reseau");
  EXPECT_EQ(q["client_secret"], "s3cret");
}

TEST_F(RelyingPartyTest, UserInfoAsPlainJsonOrHs256) {
  op.userinfo_as = "json";
  EXPECT_EQ(accepted(start()).person_id, "899700218896");
  op.userinfo_as = "hs256";
  EXPECT_EQ(accepted(start()).person_id, "899700218896");
}

TEST_F(RelyingPartyTest, WrongOrMissingStateIsRefusedBeforeAnyRequest) {
  auto answer = start();
  auto before = op.calls.size();
  answer["state"] = "autre";
  EXPECT_EQ(refused(answer).reason, RefusalReason::State);
  answer.erase("state");
  EXPECT_EQ(refused(answer).reason, RefusalReason::State);
  EXPECT_EQ(op.calls.size(), before) << "no code exchanged for an answer that is not ours";
}

TEST_F(RelyingPartyTest, StaleSignInIsRefused) {
  auto answer = start();
  clock.advance(std::chrono::minutes(11));
  EXPECT_EQ(refused(answer).reason, RefusalReason::Expired);
}

TEST_F(RelyingPartyTest, IssParameterRequiredWhereAnnouncedAndCheckedWhereSent) {
  auto answer = start();
  answer["iss"] = "https://autre.example.test";
  EXPECT_EQ(refused(answer).reason, RefusalReason::IssParameter);
  answer["iss"] = kIssuer;
  accepted(answer);

  op.discovery["authorization_response_iss_parameter_supported"] = true;
  RelyingParty strict{psc(), op, clock, random};
  auto s = strict.begin("https://portier.example.org/federation/psc/retour");
  op.nonce = s->kept.nonce;
  auto outcome = strict.finish(s->kept, {{"state", s->kept.state}, {"code", "c"}});
  ASSERT_TRUE(std::holds_alternative<Refused>(outcome));
  EXPECT_EQ(std::get<Refused>(outcome).reason, RefusalReason::IssParameter);
}

TEST_F(RelyingPartyTest, ProviderErrorIsReported) {
  auto answer = start();
  answer.erase("code");
  answer["error"] = "access_denied";
  auto r = refused(answer);
  EXPECT_EQ(r.reason, RefusalReason::ProviderError);
  EXPECT_NE(r.detail.find("access_denied"), std::string::npos);
  answer.erase("error");
  EXPECT_EQ(refused(answer).reason, RefusalReason::NoCode);
}

TEST_F(RelyingPartyTest, RefusedCodeIsATokenExchangeRefusal) {
  auto answer = start();
  op.token_status = 400;
  EXPECT_EQ(refused(answer).reason, RefusalReason::TokenExchange);
}

TEST_F(RelyingPartyTest, UnreachableProviderIsUnavailable) {
  auto answer = start();
  op.unreachable = true;
  EXPECT_EQ(refused(answer).reason, RefusalReason::Unavailable);
}

TEST_F(RelyingPartyTest, BadSignatureIsRefused) {
  auto answer = start();
  op.tamper_signature = true;
  EXPECT_EQ(refused(answer).reason, RefusalReason::Signature);
}

TEST_F(RelyingPartyTest, UnknownKidIsFetchedOnceThenRefused) {
  auto answer = start();
  accepted(answer);  // keys cached
  auto fetches = op.jwks_fetches;
  op.keys.push_back({*oidc::jose::SigningKey::generate(oidc::jose::JwsAlg::ES256), "unpublished"});
  op.signer = op.keys.size() - 1;
  answer = start();
  EXPECT_EQ(refused(answer).reason, RefusalReason::Signature);
  EXPECT_EQ(op.jwks_fetches, fetches + 1) << "one refresh for an unknown kid, not more";
}

TEST_F(RelyingPartyTest, RotatedKeyIsFoundByTheRefresh) {
  accepted(start());
  auto fetches = op.jwks_fetches;
  op.rotate();
  accepted(start());
  EXPECT_EQ(op.jwks_fetches, fetches + 1);
  accepted(start());
  EXPECT_EQ(op.jwks_fetches, fetches + 1) << "the refreshed set is cached";
}

TEST_F(RelyingPartyTest, Hs256IdTokenIsRefusedEvenWithTheRightSecret) {
  auto answer = start();
  op.edit_id_token = nullptr;
  // An ID token MACed with the client secret: verifiable, but not by a published key.
  auto claims = op.id_claims();
  auto forged = sign_hs256(boost::json::serialize(claims), "s3cret");
  struct Forging final : HttpFetcher {
    FakeProvider& op;
    std::string token;
    Forging(FakeProvider& o, std::string t) : op(o), token(std::move(t)) {}
    Result<HttpAnswer> fetch(const HttpCall& call) override {
      if (call.url.find("/token") != std::string::npos)
        return HttpAnswer{200, "application/json",
                          R"({"access_token":"a","token_type":"Bearer","id_token":")" + token + "\"}"};
      return op.fetch(call);
    }
  } forging{op, forged};
  RelyingParty victim{psc(), forging, clock, random};
  auto s = victim.begin("https://portier.example.org/federation/psc/retour");
  auto outcome = victim.finish(s->kept, {{"state", s->kept.state}, {"code", "c"}});
  ASSERT_TRUE(std::holds_alternative<Refused>(outcome));
  EXPECT_EQ(std::get<Refused>(outcome).reason, RefusalReason::Signature);
}

TEST_F(RelyingPartyTest, WrongIssuerAudienceNonceAcrAreEachRefused) {
  struct Case {
    std::function<void(boost::json::object&)> spoil;
    RefusalReason reason;
  };
  std::vector<Case> cases = {
      {[](auto& c) { c["iss"] = "https://autre.example.test"; }, RefusalReason::Issuer},
      {[](auto& c) { c["aud"] = "autre-client"; }, RefusalReason::Audience},
      {[](auto& c) { c["aud"] = boost::json::array{"reseau", "autre"}; }, RefusalReason::Audience},
      {[](auto& c) { c["azp"] = "autre"; }, RefusalReason::Audience},
      {[](auto& c) { c["nonce"] = "rejoue"; }, RefusalReason::Nonce},
      {[](auto& c) { c.erase("nonce"); }, RefusalReason::Nonce},
      {[](auto& c) { c.erase("acr"); }, RefusalReason::Acr},
      {[](auto& c) { c["acr"] = "eidas-faible"; }, RefusalReason::Acr},
      {[this](auto& c) { c["exp"] = to_unix(clock.now()) - 61; }, RefusalReason::TokenExpired},
      {[this](auto& c) { c["iat"] = to_unix(clock.now()) + 120; }, RefusalReason::IssuedInFuture},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    op.edit_id_token = cases[i].spoil;
    auto r = refused(start());
    EXPECT_EQ(to_word(r.reason), to_word(cases[i].reason)) << "case " << i << ": " << r.detail;
  }
  op.edit_id_token = [](auto& c) { c["aud"] = boost::json::array{"reseau", "autre"}; c["azp"] = "reseau"; };
  accepted(start());
}

TEST_F(RelyingPartyTest, UserInfoMustBeSignedRightAndAboutTheSamePerson) {
  op.edit_userinfo = [](auto& c) { c["sub"] = "quelqu-un-d-autre"; };
  EXPECT_EQ(refused(start()).reason, RefusalReason::UserInfoSubject);
  op.edit_userinfo = [](auto& c) { c["iss"] = "https://autre.example.test"; };
  EXPECT_EQ(refused(start()).reason, RefusalReason::UserInfo);
  op.edit_userinfo = [](auto& c) { c["aud"] = "autre"; };
  EXPECT_EQ(refused(start()).reason, RefusalReason::UserInfo);
  op.edit_userinfo = [](auto& c) { c.erase("SubjectNameID"); };
  EXPECT_EQ(refused(start()).reason, RefusalReason::SubjectClaim);
  op.edit_userinfo = nullptr;
  RelyingParty other_secret{[] { auto p = psc(); p.client_secret = "autre"; return p; }(), op, clock, random};
  op.userinfo_as = "hs256";
  auto s = other_secret.begin("https://portier.example.org/federation/psc/retour");
  op.nonce = s->kept.nonce;
  auto outcome = other_secret.finish(s->kept, {{"state", s->kept.state}, {"code", "c"}});
  ASSERT_TRUE(std::holds_alternative<Refused>(outcome));
  EXPECT_EQ(std::get<Refused>(outcome).reason, RefusalReason::UserInfo);
}

TEST_F(RelyingPartyTest, DiscoveryIsCachedAndItsIssuerMustMatch) {
  start();
  start();
  int discovery_fetches = 0;
  for (const auto& c : op.calls) discovery_fetches += c.url == kDiscovery;
  EXPECT_EQ(discovery_fetches, 1);

  op.discovery["issuer"] = std::string(kIssuer) + "/";
  RelyingParty fresh{psc(), op, clock, random};
  auto m = fresh.metadata();
  ASSERT_FALSE(m.has_value());
  EXPECT_NE(m.error().detail.find("is not the expected"), std::string::npos);
}

// PS256 (RSASSA-PSS), which a provider may sign with instead of RS256: the
// JWK names it, or names no alg at all and serves both RSA algorithms.
TEST_F(RelyingPartyTest, Ps256IdTokenAndUserInfoAreAccepted) {
  auto rsa = oidc::jose::SigningKey::generate(oidc::jose::JwsAlg::PS256);
  ASSERT_TRUE(rsa);
  op.keys = {{*rsa, "ps"}};
  auto who = accepted(start());
  EXPECT_EQ(who.person_id, "899700218896");
  EXPECT_NE(oidc::jose::peek_header(who.id_token)->at("alg").as_string(), "RS256");

  op.publish_alg = false;
  RelyingParty fresh{psc(), op, clock, random};
  auto s = fresh.begin("https://portier.example.org/federation/psc/retour");
  op.nonce = s->kept.nonce;
  auto outcome = fresh.finish(s->kept, {{"state", s->kept.state}, {"code", "c0de"}});
  ASSERT_TRUE(std::holds_alternative<FederatedIdentity>(outcome)) << std::get<Refused>(outcome).detail;
}

TEST_F(RelyingPartyTest, Ps256TokenUnderAKeyDeclaredRs256IsRefused) {
  auto ps = oidc::jose::SigningKey::generate(oidc::jose::JwsAlg::PS256);
  ASSERT_TRUE(ps);
  // The provider publishes the RSA key declared RS256 and signs PS256 with it, under the same kid.
  op.keys = {{*ps->bound_to(oidc::jose::JwsAlg::RS256), "k"}, {*ps, "k"}};
  op.published = {0};
  op.signer = 1;
  EXPECT_EQ(refused(start()).reason, RefusalReason::Signature);
}

TEST_F(RelyingPartyTest, ClaimMappingNamesWhereTheNamesAndEmailAre) {
  auto p = psc();
  p.given_name_claim = "prenom";
  p.family_name_claim = "nom";
  p.email_claim = "courriel";
  RelyingParty mapped{p, op, clock, random};
  op.edit_userinfo = [](boost::json::object& c) {
    c["prenom"] = "Anne";
    c["nom"] = "Martin";
    c["courriel"] = "anne.martin@example.org";
  };
  auto s = mapped.begin("https://portier.example.org/federation/psc/retour");
  op.nonce = s->kept.nonce;
  auto outcome = mapped.finish(s->kept, {{"state", s->kept.state}, {"code", "c0de"}});
  ASSERT_TRUE(std::holds_alternative<FederatedIdentity>(outcome));
  const auto& who = std::get<FederatedIdentity>(outcome);
  EXPECT_EQ(who.given_name, "Anne");
  EXPECT_EQ(who.family_name, "Martin");
  EXPECT_EQ(who.email, "anne.martin@example.org");
  // The standard names are the default (psc() leaves the keys empty, as a config built in code may).
  op.edit_userinfo = [](boost::json::object& c) { c["email"] = "jeanne.dupont@example.org"; };
  auto who2 = accepted(start());
  EXPECT_EQ(who2.given_name, "Jeanne");
  EXPECT_EQ(who2.email, "jeanne.dupont@example.org");
}

TEST_F(RelyingPartyTest, ClaimMappingFallsBackToTheIdToken) {
  auto p = psc();
  p.email_claim = "mail";
  RelyingParty mapped{p, op, clock, random};
  op.edit_id_token = [](boost::json::object& c) { c["mail"] = "from-id-token@example.org"; };
  auto s = mapped.begin("https://portier.example.org/federation/psc/retour");
  op.nonce = s->kept.nonce;
  auto outcome = mapped.finish(s->kept, {{"state", s->kept.state}, {"code", "c0de"}});
  ASSERT_TRUE(std::holds_alternative<FederatedIdentity>(outcome));
  EXPECT_EQ(std::get<FederatedIdentity>(outcome).email, "from-id-token@example.org");
}

class PrivateKeyJwtTest : public RelyingPartyTest {
protected:
  FederationProviderConfig with_key(oidc::jose::JwsAlg alg) {
    auto key = oidc::jose::SigningKey::generate(alg);
    EXPECT_TRUE(key);
    client_key = *key;
    auto p = psc();
    p.client_secret.clear();
    p.client_auth = "private_key_jwt";
    p.client_signing_alg = std::string(oidc::jose::to_string(alg));
    p.client_private_key_pem = *key->private_pem();
    return p;
  }
  std::optional<oidc::jose::SigningKey> client_key;
};

TEST_F(PrivateKeyJwtTest, TokenRequestCarriesAFreshRfc7523Assertion) {
  for (auto alg : {oidc::jose::JwsAlg::RS256, oidc::jose::JwsAlg::ES256, oidc::jose::JwsAlg::PS256}) {
    SCOPED_TRACE(std::string(oidc::jose::to_string(alg)));
    op.discovery["token_endpoint_auth_methods_supported"] = boost::json::array{"client_secret_basic", "private_key_jwt"};
    RelyingParty rp_key{with_key(alg), op, clock, random};
    auto s = rp_key.begin("https://portier.example.org/federation/psc/retour");
    op.nonce = s->kept.nonce;
    auto outcome = rp_key.finish(s->kept, {{"state", s->kept.state}, {"code", "c0de"}});
    ASSERT_TRUE(std::holds_alternative<FederatedIdentity>(outcome)) << std::get<Refused>(outcome).detail;

    auto q = query_of("https://x/?" + op.token_request.body);
    EXPECT_EQ(q["client_id"], "reseau");
    EXPECT_EQ(q["client_assertion_type"], "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    EXPECT_EQ(q.count("client_secret"), 0u);
    EXPECT_EQ(op.token_request.headers.size(), 1u);  // no Authorization header
    // Verified with the public JWK portier prints for registration.
    auto jwk = rp_key.client_public_jwk();
    ASSERT_TRUE(jwk);
    EXPECT_EQ(jwk->at("kid").as_string(), *oidc::jose::jwk_thumbprint(*client_key));
    EXPECT_EQ(jwk->at("alg").as_string(), oidc::jose::to_string(alg));
    EXPECT_FALSE(jwk->contains("d"));
    auto pub = oidc::jose::public_key_from_jwk(*jwk);
    ASSERT_TRUE(pub) << pub.error().detail;
    auto verified = oidc::jose::verify_compact(q["client_assertion"], *pub);
    ASSERT_TRUE(verified) << verified.error().detail;
    EXPECT_EQ(verified->header.at("kid").as_string(), jwk->at("kid").as_string());
    auto c = boost::json::parse(verified->payload).as_object();
    EXPECT_EQ(c.at("iss").as_string(), "reseau");
    EXPECT_EQ(c.at("sub").as_string(), "reseau");
    EXPECT_EQ(c.at("aud").as_string(), std::string(kIssuer) + "/protocol/openid-connect/token");
    EXPECT_EQ(c.at("jti").as_string().size(), 43u);  // 256 bits, base64url
    auto now = to_unix(clock.now());
    EXPECT_EQ(c.at("iat").as_int64(), now);
    EXPECT_EQ(c.at("exp").as_int64(), now + 60);
    // A second assertion never repeats the jti.
    auto again = rp_key.client_assertion(std::string(kIssuer) + "/protocol/openid-connect/token");
    auto c2 = boost::json::parse(oidc::jose::verify_compact(*again, *pub)->payload).as_object();
    EXPECT_NE(c2.at("jti"), c.at("jti"));
  }
}

TEST_F(PrivateKeyJwtTest, NotAnnouncedByTheProviderIsRefused) {
  RelyingParty rp_key{with_key(oidc::jose::JwsAlg::ES256), op, clock, random};  // announces the secret methods only
  auto s = rp_key.begin("https://portier.example.org/federation/psc/retour");
  op.nonce = s->kept.nonce;
  auto outcome = rp_key.finish(s->kept, {{"state", s->kept.state}, {"code", "c0de"}});
  ASSERT_TRUE(std::holds_alternative<Refused>(outcome));
  EXPECT_EQ(std::get<Refused>(outcome).reason, RefusalReason::Discovery);
  EXPECT_FALSE(rp.client_public_jwk());  // a secret client has no key to show
}

TEST_F(RelyingPartyTest, LogoutUrlFollowsRpInitiatedLogout) {
  auto url = rp.logout_url("eyJ.id.token", "https://portier.example.org/federation/psc/deconnexion", "st&te");
  ASSERT_TRUE(url) << url.error().detail;
  EXPECT_EQ(url->rfind(std::string(kIssuer) + "/protocol/openid-connect/logout?", 0), 0u);
  auto q = query_of(*url);
  EXPECT_EQ(q["id_token_hint"], "eyJ.id.token");
  EXPECT_EQ(q["client_id"], "reseau");
  EXPECT_EQ(q["post_logout_redirect_uri"], "https://portier.example.org/federation/psc/deconnexion");
  EXPECT_EQ(q["state"], "st&te");
  EXPECT_EQ(post_logout_path("psc"), "/federation/psc/deconnexion");

  op.discovery.erase("end_session_endpoint");
  RelyingParty without{psc(), op, clock, random};
  auto none = without.logout_url("eyJ.id.token", "https://portier.example.org/federation/psc/deconnexion", "s");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::NotFound);

  op.discovery["end_session_endpoint"] = "http://idp.example.test/logout";  // plain http off loopback
  RelyingParty plain{psc(), op, clock, random};
  EXPECT_FALSE(plain.logout_url("t", "https://portier.example.org/federation/psc/deconnexion", "s"));

  op.unreachable = true;
  RelyingParty down{psc(), op, clock, random};
  auto unreachable = down.logout_url("t", "https://portier.example.org/federation/psc/deconnexion", "s");
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().code, ErrorCode::Unavailable);
}

}  // namespace
}  // namespace portier::federation
