// GET /.well-known/openid-configuration (OpenID Connect Discovery 1.0 4,
// RFC 8414): what the provider offers, for relying parties to configure
// themselves. Built from the configuration at each request (it is small);
// 404 while oidc.enabled is false.
#include "oidc/authentication_context.h"
#include "oidc/claims.h"
#include "web/oauth_access.h"
#include "web/pages.h"

namespace portier::web {

namespace {

boost::json::array strings(std::initializer_list<std::string_view> words) {
  boost::json::array a;
  for (auto w : words) a.emplace_back(w);
  return a;
}

boost::json::array strings(const std::vector<std::string>& words) {
  boost::json::array a;
  for (auto& w : words) a.emplace_back(w);
  return a;
}

}  // namespace

http::Response oidc_configuration(Exchange& ex) {
  if (!ex.services().oidc_tokens) return ex.error(404);
  auto issuer = oidc_issuer(ex.services().config);
  std::vector<std::string> scopes{"openid", "offline_access"};
  for (auto& s : oidc::claim_scopes()) scopes.push_back(s);
  // The card level only where the card or Pro Santé Connect is offered:
  // elsewhere no sign-in could reach it.
  const auto& config = ex.services().config;
  std::vector<std::string> acr_values;
  for (const auto& v : oidc::supported_acr_values())
    if (v != oidc::kAcrHealthCard || config.card.enabled || !config.health_card_providers().empty())
      acr_values.push_back(v);
  boost::json::object d{
      {"issuer", issuer},
      {"authorization_endpoint", issuer + "/authorize"},
      {"token_endpoint", issuer + "/token"},
      {"userinfo_endpoint", issuer + "/userinfo"},
      {"jwks_uri", issuer + "/.well-known/jwks.json"},
      {"end_session_endpoint", issuer + "/logout"},
      {"introspection_endpoint", issuer + "/introspect"},
      {"revocation_endpoint", issuer + "/revoke"},
      {"backchannel_logout_supported", true},
      {"backchannel_logout_session_supported", true},
      {"response_types_supported", strings({"code"})},
      {"response_modes_supported", strings({"query", "form_post"})},
      {"grant_types_supported", strings({"authorization_code", "refresh_token", "client_credentials"})},
      {"subject_types_supported", strings({"public"})},
      {"id_token_signing_alg_values_supported", strings({"RS256", "ES256", "EdDSA"})},
      {"token_endpoint_auth_methods_supported",
       strings({"client_secret_basic", "client_secret_post", "private_key_jwt", "none"})},
      {"token_endpoint_auth_signing_alg_values_supported", strings({"RS256", "ES256", "EdDSA"})},
      {"introspection_endpoint_auth_methods_supported",
       strings({"client_secret_basic", "client_secret_post", "private_key_jwt"})},
      {"revocation_endpoint_auth_methods_supported",
       strings({"client_secret_basic", "client_secret_post", "private_key_jwt", "none"})},
      {"code_challenge_methods_supported", strings({"S256"})},
      {"scopes_supported", strings(scopes)},
      {"claims_supported", strings(oidc::supported_claims())},
      {"claims_parameter_supported", true},
      {"request_parameter_supported", false},
      {"request_uri_parameter_supported", false},
      {"authorization_response_iss_parameter_supported", true},
      {"acr_values_supported", strings(acr_values)},
      {"ui_locales_supported", strings({"fr", "en"})},
      {"prompt_values_supported", strings({"none", "login", "consent"})},
  };
  auto r = ex.json(200, d);
  // Public and the same for everybody: relying parties and proxies may cache it.
  r.set_header("Cache-Control", "public, max-age=3600");
  r.headers.erase(std::remove_if(r.headers.begin(), r.headers.end(), [](auto& h) { return h.first == "Pragma"; }),
                  r.headers.end());
  return r;
}

}  // namespace portier::web
