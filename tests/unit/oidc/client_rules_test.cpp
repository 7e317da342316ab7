#include "oidc/client_rules.h"

#include <gtest/gtest.h>

#include <algorithm>


namespace portier::oidc {
namespace {

Client valid_confidential() {
  Client c;
  c.name = "Agenda partagé";
  c.redirect_uris = {"https://agenda.example.org/callback"};
  return c;
}

Client valid_public() {
  Client c = valid_confidential();
  c.is_public = true;
  c.auth_method = ClientAuthMethod::None;
  return c;
}

std::vector<std::string> codes(const Client& c) {
  std::vector<std::string> out;
  for (auto& p : check_client(c)) out.push_back(p.code);
  return out;
}

bool has(const std::vector<std::string>& v, std::string_view code) {
  return std::find(v.begin(), v.end(), code) != v.end();
}

TEST(ClientRules, ValidRegistrationsHaveNoProblem) {
  EXPECT_TRUE(check_client(valid_confidential()).empty());
  EXPECT_TRUE(check_client(valid_public()).empty());
}

TEST(ClientRules, NameHasOneToHundredCharactersCountedAsCharacters) {
  auto c = valid_confidential();
  c.name = "";
  EXPECT_TRUE(has(codes(c), "name_length"));
  c.name = "   ";
  EXPECT_TRUE(has(codes(c), "name_length"));
  c.name = std::string(100, 'a');
  EXPECT_TRUE(check_client(c).empty());
  c.name = std::string(101, 'a');
  EXPECT_TRUE(has(codes(c), "name_length"));
  // 100 "é" are 200 bytes but 100 characters.
  c.name.clear();
  for (int i = 0; i < 100; ++i) c.name += "é";
  EXPECT_TRUE(check_client(c).empty());
  c.name = "two\nlines";
  EXPECT_TRUE(has(codes(c), "name_control"));
}

TEST(ClientRules, MinimumAcrIsAKnownLevelOrNothing) {
  auto c = valid_confidential();
  for (const char* level : {"", "urn:portier:acr:pwd", "urn:portier:acr:mfa", "urn:portier:acr:cps"}) {
    c.minimum_acr = level;
    EXPECT_TRUE(check_client(c).empty()) << level;
  }
  for (const char* level : {"eidas1", "cps", "urn:portier:acr:CPS"}) {
    c.minimum_acr = level;
    EXPECT_TRUE(has(codes(c), "minimum_acr_unknown")) << level;
  }
}

TEST(ClientRules, SigningInNeedsARedirectUri) {
  auto c = valid_confidential();
  c.redirect_uris.clear();
  EXPECT_TRUE(has(codes(c), "redirect_uri_required"));
  // A machine client (client_credentials only) redirects nobody.
  c.grant_types = {"client_credentials"};
  c.scopes = {};
  EXPECT_TRUE(check_client(c).empty()) << describe(check_client(c));
}

TEST(ClientRules, UrisAreExactHttpsAddresses) {
  EXPECT_EQ(uri_problem("https://app.example.org/cb"), "");
  EXPECT_EQ(uri_problem("https://app.example.org:8443/cb?x=1"), "");
  EXPECT_EQ(uri_problem("http://app.example.org/cb"), "uri_scheme");
  EXPECT_EQ(uri_problem("ftp://app.example.org/cb"), "uri_scheme");
  EXPECT_EQ(uri_problem("/cb"), "uri_syntax");
  EXPECT_EQ(uri_problem("app.example.org/cb"), "uri_syntax");
  EXPECT_EQ(uri_problem("https:///cb"), "uri_syntax");
  EXPECT_EQ(uri_problem("https://app.example.org:x/cb"), "uri_syntax");
  EXPECT_EQ(uri_problem("https://app.example.org/cb#frag"), "uri_fragment");
  EXPECT_EQ(uri_problem("https://user:pw@app.example.org/cb"), "uri_userinfo");
  EXPECT_EQ(uri_problem("https://*.example.org/cb"), "uri_wildcard");
  EXPECT_EQ(uri_problem("https://app.example.org/cb/*"), "uri_wildcard");
  EXPECT_EQ(uri_problem("https://app.example.org/a b"), "uri_syntax");
}

TEST(ClientRules, HttpOnlyOnLoopbackHosts) {
  EXPECT_EQ(uri_problem("http://127.0.0.1:8080/cb"), "");
  EXPECT_EQ(uri_problem("http://[::1]:8080/cb"), "");
  EXPECT_EQ(uri_problem("http://localhost/cb"), "");
  EXPECT_EQ(uri_problem("http://127.example.org/cb"), "uri_scheme");
  EXPECT_EQ(uri_problem("http://10.0.0.1/cb"), "uri_scheme");
}

TEST(ClientRules, EveryUriListIsChecked) {
  auto c = valid_confidential();
  c.redirect_uris.push_back("https://agenda.example.org/callback");  // twice
  c.post_logout_redirect_uris = {"http://agenda.example.org/bye"};
  c.backchannel_logout_uri = "https://agenda.example.org/logout#x";
  auto problems = check_client(c);
  ASSERT_EQ(problems.size(), 3u) << describe(problems);
  EXPECT_EQ(problems[0].field, "redirect_uris");
  EXPECT_EQ(problems[0].code, "uri_duplicate");
  EXPECT_EQ(problems[1].field, "post_logout_redirect_uris");
  EXPECT_EQ(problems[1].code, "uri_scheme");
  EXPECT_NE(problems[1].message.find("http://agenda.example.org/bye"), std::string::npos);
  EXPECT_EQ(problems[2].field, "backchannel_logout_uri");
  EXPECT_EQ(problems[2].code, "uri_fragment");
}

TEST(ClientRules, AtMostTwentyUrisOfEachKind) {
  auto c = valid_confidential();
  c.redirect_uris.clear();
  for (int i = 0; i < 20; ++i) c.redirect_uris.push_back("https://agenda.example.org/cb" + std::to_string(i));
  EXPECT_TRUE(check_client(c).empty());
  c.redirect_uris.push_back("https://agenda.example.org/cb20");
  EXPECT_TRUE(has(codes(c), "uri_too_many"));
}

TEST(ClientRules, PublicClientsHaveNoSecretUsePkceAndNoClientCredentials) {
  auto c = valid_public();
  c.auth_method = ClientAuthMethod::ClientSecretBasic;
  c.require_pkce = false;
  c.grant_types.push_back("client_credentials");
  auto found = codes(c);
  EXPECT_TRUE(has(found, "public_auth_method"));
  EXPECT_TRUE(has(found, "public_pkce"));
  EXPECT_TRUE(has(found, "public_client_credentials"));
}

TEST(ClientRules, ConfidentialClientsAuthenticate) {
  auto c = valid_confidential();
  c.auth_method = ClientAuthMethod::None;
  EXPECT_TRUE(has(codes(c), "confidential_auth_none"));
  c.auth_method = ClientAuthMethod::ClientSecretPost;
  c.require_pkce = false;  // allowed for confidential clients
  EXPECT_TRUE(check_client(c).empty());
}

TEST(ClientRules, PrivateKeyJwtNeedsPublicKeysOnly) {
  auto c = valid_confidential();
  c.auth_method = ClientAuthMethod::PrivateKeyJwt;
  EXPECT_TRUE(has(codes(c), "jwks_required"));
  c.jwks = "not json";
  EXPECT_TRUE(has(codes(c), "jwks_syntax"));
  c.jwks = R"({"keys":[]})";
  EXPECT_TRUE(has(codes(c), "jwks_empty"));
  c.jwks = R"({"keys":[{"kty":"EC","crv":"P-256","x":"abc","y":"def","d":"secret"}]})";
  EXPECT_TRUE(has(codes(c), "jwks_private"));
  c.jwks = R"({"keys":[{"kty":"RSA","n":"abc"}]})";
  EXPECT_TRUE(has(codes(c), "jwks_key"));
  c.jwks = R"({"keys":[{"kty":"oct","k":"abc"}]})";
  EXPECT_TRUE(has(codes(c), "jwks_private"));
  c.jwks = R"({"keys":[{"kty":"EC","crv":"P-256","x":"abc","y":"def"},{"kty":"OKP","crv":"Ed25519","x":"ghi"}]})";
  EXPECT_TRUE(check_client(c).empty()) << describe(check_client(c));
  c.auth_method = ClientAuthMethod::ClientSecretBasic;
  EXPECT_TRUE(has(codes(c), "jwks_unused"));
}

TEST(ClientRules, AlgorithmsScopesGrantsAndClaimsComeFromKnownSets) {
  auto c = valid_confidential();
  c.id_token_alg = "none";
  c.scopes = {"openid", "rpps", "roles", "admin"};
  c.grant_types = {"authorization_code", "password"};
  c.id_token_claims = {"email", "ssn"};
  auto found = codes(c);
  EXPECT_TRUE(has(found, "id_token_alg_unknown"));
  EXPECT_TRUE(has(found, "scope_unknown"));
  EXPECT_TRUE(has(found, "grant_unknown"));
  EXPECT_TRUE(has(found, "claim_unknown"));
  EXPECT_EQ(found.size(), 4u);
  for (auto* alg : {"RS256", "ES256", "EdDSA"}) {
    auto ok = valid_confidential();
    ok.id_token_alg = alg;
    EXPECT_TRUE(check_client(ok).empty()) << alg;
  }
}

TEST(ClientRules, GrantCombinations) {
  auto c = valid_confidential();
  c.grant_types = {};
  EXPECT_TRUE(has(codes(c), "grant_none"));
  c.grant_types = {"refresh_token"};
  EXPECT_TRUE(has(codes(c), "grant_refresh_alone"));
  c = valid_confidential();
  c.scopes = {"profile"};
  EXPECT_TRUE(has(codes(c), "scope_openid"));
}

TEST(ClientRules, AudienceIsAnAbsoluteUri) {
  auto c = valid_confidential();
  c.access_token_audience = "https://api.example.org";
  EXPECT_TRUE(check_client(c).empty());
  c.access_token_audience = "urn:example:api";
  EXPECT_TRUE(check_client(c).empty());
  c.access_token_audience = "my api";
  EXPECT_TRUE(has(codes(c), "audience_syntax"));
}

TEST(ClientEnums, RoundTrip) {
  for (auto m : {ClientAuthMethod::ClientSecretBasic, ClientAuthMethod::ClientSecretPost,
                 ClientAuthMethod::PrivateKeyJwt, ClientAuthMethod::None})
    EXPECT_EQ(parse_client_auth_method(to_string(m)), m);
  EXPECT_EQ(parse_client_auth_method("client_secret_jwt"), std::nullopt);
  EXPECT_EQ(parse_access_token_format("jwt"), AccessTokenFormat::Jwt);
  EXPECT_EQ(parse_access_token_format("opaque"), AccessTokenFormat::Opaque);
  EXPECT_EQ(parse_access_token_format("JWT"), std::nullopt);
}

}  // namespace
}  // namespace portier::oidc
