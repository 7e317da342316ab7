#include "federation/provider_metadata.h"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "config/loopback.h"

namespace portier::federation {

namespace {

bool is_safe_url(const std::string& url) {
  if (url.rfind("https://", 0) == 0) return !url_host(url).empty();
  return url.rfind("http://", 0) == 0 && is_loopback_host(url_host(url));
}

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool ProviderMetadata::uses_basic_auth() const {
  if (token_endpoint_auth_methods.empty() || contains(token_endpoint_auth_methods, "client_secret_basic")) return true;
  return !contains(token_endpoint_auth_methods, "client_secret_post");
}

Result<std::string> ProviderMetadata::client_auth_method(std::string_view configured) const {
  if (configured.empty()) return std::string(uses_basic_auth() ? "client_secret_basic" : "client_secret_post");
  // The operator's choice, from the registration; a provider that lists its
  // methods must list it (one that lists none is taken at the operator's word).
  if (!token_endpoint_auth_methods.empty() && !contains(token_endpoint_auth_methods, configured))
    return fail(ErrorCode::InvalidInput,
                "discovery document: token_endpoint_auth_methods_supported does not list " + std::string(configured));
  return std::string(configured);
}

Result<ProviderMetadata> parse_provider_metadata(std::string_view json, std::string_view expected_issuer) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return fail(ErrorCode::InvalidInput, "the discovery document is not a JSON object");
  const auto& o = value.as_object();
  ProviderMetadata m;
  std::string problem;
  auto text = [&](const char* key, std::string& out, bool required) {
    const auto* v = o.if_contains(key);
    if (!v) {
      if (required && problem.empty()) problem = std::string(key) + " is missing";
      return;
    }
    if (!v->is_string()) {
      if (problem.empty()) problem = std::string(key) + " is not a string";
      return;
    }
    out = std::string(v->as_string());
    if (std::string_view(key) != "issuer" && !is_safe_url(out) && problem.empty())
      problem = std::string(key) + " is not https";
  };
  auto list = [&](const char* key, std::vector<std::string>& out) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_array()) return;
    for (const auto& item : v->as_array())
      if (item.is_string()) out.emplace_back(item.as_string());
  };
  text("issuer", m.issuer, true);
  text("authorization_endpoint", m.authorization_endpoint, true);
  text("token_endpoint", m.token_endpoint, true);
  text("jwks_uri", m.jwks_uri, true);
  text("userinfo_endpoint", m.userinfo_endpoint, false);
  text("end_session_endpoint", m.end_session_endpoint, false);
  if (!problem.empty()) return fail(ErrorCode::InvalidInput, "discovery document: " + problem);
  // Exact comparison, no normalisation: a trailing slash is another issuer.
  if (m.issuer != expected_issuer)
    return fail(ErrorCode::InvalidInput,
                "discovery document: issuer \"" + m.issuer + "\" is not the expected \"" + std::string(expected_issuer) + "\"");
  list("token_endpoint_auth_methods_supported", m.token_endpoint_auth_methods);
  list("code_challenge_methods_supported", m.code_challenge_methods);
  if (!m.code_challenge_methods.empty() && !contains(m.code_challenge_methods, "S256"))
    return fail(ErrorCode::InvalidInput, "discovery document: code_challenge_methods_supported lacks S256");
  if (!m.token_endpoint_auth_methods.empty() && !contains(m.token_endpoint_auth_methods, "client_secret_basic") &&
      !contains(m.token_endpoint_auth_methods, "client_secret_post") &&
      !contains(m.token_endpoint_auth_methods, "private_key_jwt"))
    return fail(ErrorCode::InvalidInput,
                "discovery document: token endpoint accepts neither client_secret_basic, client_secret_post nor "
                "private_key_jwt");
  if (const auto* v = o.if_contains("authorization_response_iss_parameter_supported"); v && v->is_bool())
    m.iss_parameter_supported = v->as_bool();
  return m;
}

}  // namespace portier::federation
