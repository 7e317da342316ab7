#pragma once
// What an authorization code stands for: the authorization endpoint
// (web/oidc_authorize_pages.cpp) fills it once the member is signed in and
// has consented; the token endpoint redeems it (oidc/token_service.h).
// Plain data.
#include <string>
#include <vector>

#include "account/account.h"
#include "common/clock.h"
#include "common/result.h"

namespace portier::oidc {

struct CodeGrant {
  std::string client_id;
  AccountId account_id = 0;
  std::string sid;           // Session::sid of the member's session at the provider
  std::string redirect_uri;  // exactly as in the request; the token request must repeat it
  std::vector<std::string> scopes;  // granted (a subset of those asked), "openid" first
  std::string nonce;                // empty when the request had none
  std::string code_challenge;       // PKCE S256 challenge; empty when the request had none
  TimePoint auth_time{};            // when the member authenticated (Session::created_at)
  std::vector<std::string> amr;     // oidc/authentication_context.h
  std::string acr;
  // Claims asked for one by one with the `claims` request parameter, by
  // destination; empty when the request had none.
  std::vector<std::string> id_token_claims;
  std::vector<std::string> userinfo_claims;
};

// Turns a grant into a single-use authorization code (the token side,
// oidc/token_service.h, implements it).
class CodeIssuer {
public:
  virtual ~CodeIssuer() = default;
  virtual Result<std::string> issue_code(const CodeGrant& grant) = 0;
};

}  // namespace portier::oidc
