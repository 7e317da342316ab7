#include "oidc/authorization_request.h"

#include <gtest/gtest.h>

using namespace portier::oidc;

namespace {

Client client() {
  Client c;
  c.client_id = "app";
  c.name = "App";
  c.redirect_uris = {"https://app.example/cb"};
  return c;
}

Parameters good() {
  return {{"client_id", "app"},
          {"redirect_uri", "https://app.example/cb"},
          {"response_type", "code"},
          {"scope", "openid email unknown"},
          {"state", "s1"},
          {"nonce", "n1"},
          {"code_challenge", std::string(43, 'a')},
          {"code_challenge_method", "S256"}};
}

Parameters with(Parameters p, std::string name, std::string value) {
  std::erase_if(p, [&](auto& kv) { return kv.first == name; });
  if (!value.empty()) p.emplace_back(std::move(name), std::move(value));
  return p;
}

std::string error_of(const ReadOutcome& o) {
  if (auto* e = std::get_if<RedirectableError>(&o)) return e->error;
  if (auto* u = std::get_if<UntrustedRequest>(&o)) return "untrusted:" + u->reason;
  return "ok";
}

}  // namespace

TEST(AuthorizationRequest, ReadsAGoodRequestAndDropsUnknownScopes) {
  auto c = client();
  auto o = read_authorization_request(good(), &c);
  ASSERT_EQ(error_of(o), "ok");
  auto& r = std::get<AuthorizationRequest>(o);
  EXPECT_EQ(r.scopes, (std::vector<std::string>{"openid", "email"}));
  EXPECT_EQ(r.state, "s1");
  EXPECT_EQ(r.nonce, "n1");
  auto back = AuthorizationRequest::from_json(r.to_json());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->scopes, r.scopes);
  EXPECT_EQ(back->code_challenge, r.code_challenge);
}

TEST(AuthorizationRequest, UnknownClientOrRedirectIsNeverRedirected) {
  auto c = client();
  EXPECT_EQ(error_of(read_authorization_request(good(), nullptr)), "untrusted:unknown_client");
  EXPECT_EQ(error_of(read_authorization_request(with(good(), "redirect_uri", "https://app.example/cb/"), &c)),
            "untrusted:redirect_uri_mismatch");
  EXPECT_EQ(error_of(read_authorization_request(with(good(), "redirect_uri", ""), &c)),
            "untrusted:missing_redirect_uri");
}

TEST(AuthorizationRequest, ErrorsGoBackToTheClient) {
  auto c = client();
  EXPECT_EQ(error_of(read_authorization_request(with(good(), "response_type", ""), &c)), "invalid_request");
  EXPECT_EQ(error_of(read_authorization_request(with(good(), "response_type", "token"), &c)),
            "unsupported_response_type");
  EXPECT_EQ(error_of(read_authorization_request(with(good(), "scope", "email"), &c)), "invalid_scope");
  EXPECT_EQ(error_of(read_authorization_request(with(good(), "request", "eyJ.x.y"), &c)), "request_not_supported");
  EXPECT_EQ(error_of(read_authorization_request(with(good(), "prompt", "none login"), &c)), "invalid_request");
  EXPECT_EQ(error_of(read_authorization_request(with(good(), "max_age", "-1"), &c)), "invalid_request");
  EXPECT_EQ(error_of(read_authorization_request(with(good(), "code_challenge_method", "plain"), &c)),
            "invalid_request");
  EXPECT_EQ(error_of(read_authorization_request(with(good(), "claims", "[1]"), &c)), "invalid_request");
  auto twice = good();
  twice.emplace_back("state", "again");
  EXPECT_EQ(error_of(read_authorization_request(twice, &c)), "invalid_request");
}

TEST(AuthorizationRequest, PkceIsRequiredUnlessTheClientOptsOut) {
  auto c = client();
  auto no_pkce = with(with(good(), "code_challenge", ""), "code_challenge_method", "");
  EXPECT_EQ(error_of(read_authorization_request(no_pkce, &c)), "invalid_request");
  c.require_pkce = false;
  EXPECT_EQ(error_of(read_authorization_request(no_pkce, &c)), "ok");
  c.is_public = true;
  EXPECT_EQ(error_of(read_authorization_request(no_pkce, &c)), "invalid_request");
}

TEST(AuthorizationRequest, FormPostErrorsKeepTheirMode) {
  auto c = client();
  auto o = read_authorization_request(with(with(good(), "response_mode", "form_post"), "response_type", "id_token"), &c);
  auto* e = std::get_if<RedirectableError>(&o);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->response_mode, ResponseMode::FormPost);
  EXPECT_EQ(e->state, "s1");
}

TEST(AuthorizationRequest, ClaimsParameterNamesDestinations) {
  auto c = client();
  auto o = read_authorization_request(
      with(good(), "claims", R"({"id_token":{"email":null},"userinfo":{"name":{"essential":true}}})"), &c);
  ASSERT_EQ(error_of(o), "ok");
  auto& r = std::get<AuthorizationRequest>(o);
  EXPECT_EQ(r.id_token_claims, (std::vector<std::string>{"email"}));
  EXPECT_EQ(r.userinfo_claims, (std::vector<std::string>{"name"}));
}
