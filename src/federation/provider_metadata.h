#pragma once
// A provider's discovery document, read strictly: every endpoint the relying
// party uses comes from here (Pro Santé Connect authorises on another host
// than its token endpoint, so nothing is derived from the issuer), and the
// document's `issuer` must be exactly the one configured or derived from the
// discovery URL (OpenID Connect Discovery §4.3), or a document served from a
// compromised path could name another issuer.
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace portier::federation {

struct ProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string userinfo_endpoint;     // empty when the provider has none
  std::string jwks_uri;
  std::string end_session_endpoint;  // empty when the provider has none (RP-initiated logout)
  std::vector<std::string> token_endpoint_auth_methods;  // as announced; empty means client_secret_basic
  std::vector<std::string> code_challenge_methods;       // as announced; may be empty (PSC announces none)
  bool iss_parameter_supported = false;                  // RFC 9207 authorization_response_iss_parameter_supported

  // client_secret_basic unless only client_secret_post is announced.
  bool uses_basic_auth() const;
  // The method portier authenticates with: `configured` (client_auth) when
  // set, then it must be announced if a list is; else the secret method above.
  Result<std::string> client_auth_method(std::string_view configured) const;
};

// InvalidInput with a readable reason for anything but a JSON object whose
// issuer is `expected_issuer` and whose endpoints are https (http only on
// loopback); PKCE S256 refused only when methods are listed without it.
Result<ProviderMetadata> parse_provider_metadata(std::string_view json, std::string_view expected_issuer);

}  // namespace portier::federation
