#pragma once
// An OpenID Connect authorization request (Core 1.0 3.1.2.1, OAuth 2.1
// profile: code flow only, PKCE S256), read and checked against the
// client's registration. No HTTP here: web/oidc_authorize_pages.cpp hands
// in the parameters and turns the outcome into a page or a redirect.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "oidc/client.h"

namespace portier::oidc {

enum class ResponseMode { Query, FormPost };

struct AuthorizationRequest {
  std::string client_id;
  std::string redirect_uri;
  ResponseMode response_mode = ResponseMode::Query;
  std::string state;
  std::string nonce;
  std::vector<std::string> scopes;  // asked and allowed for the client, "openid" first; unknown ones dropped
  std::string code_challenge;       // S256
  bool prompt_none = false;
  bool prompt_login = false;
  bool prompt_consent = false;
  std::optional<long long> max_age;  // seconds
  std::string login_hint;
  std::vector<std::string> ui_locales;
  std::vector<std::string> acr_values;
  std::string id_token_hint;
  // From the `claims` parameter (Core 5.5): names asked for each destination.
  std::vector<std::string> id_token_claims;
  std::vector<std::string> userinfo_claims;

  // The request as JSON (kept while the member signs in) and back.
  std::string to_json() const;
  static std::optional<AuthorizationRequest> from_json(std::string_view json);
};

// The client or redirect_uri cannot be trusted: say so on a page of ours,
// never redirect (Core 3.1.2.6; RFC 6749 4.1.2.1).
struct UntrustedRequest {
  std::string reason;  // for the log and the page: "unknown_client", "redirect_uri_mismatch", ...
};

// Anything else wrong: sent back to the client's redirect_uri.
struct RedirectableError {
  std::string redirect_uri;
  ResponseMode response_mode = ResponseMode::Query;
  std::string state;
  std::string error;  // RFC 6749 / Core error code
  std::string description;
};

using Parameters = std::vector<std::pair<std::string, std::string>>;

// Step 1: who asks, and where answers go. The client is looked up by the
// caller from the `client_id` parameter; nullptr when unknown.
using ReadOutcome = std::variant<AuthorizationRequest, UntrustedRequest, RedirectableError>;
ReadOutcome read_authorization_request(const Parameters& params, const Client* client);

// The value of a parameter given once; nullopt when absent or repeated
// (a repeated parameter is an invalid_request, RFC 6749 3.1).
std::optional<std::string> single(const Parameters& params, std::string_view name, bool* repeated = nullptr);

}  // namespace portier::oidc
