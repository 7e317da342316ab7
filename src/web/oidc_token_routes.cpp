// The routes of the OIDC provider's token side, appended to the Router's
// table (web/router.cpp). They always exist; their handlers (and the
// OAuthClient / Bearer gates) answer 404 while oidc.enabled is false.
// Called by applications, not by our pages: no CSRF token (they set no
// cookie and honour none), OAuth JSON errors, readable from any origin.
#include "web/pages.h"
#include "web/route.h"

namespace portier::web {

http::Response oidc_token(Exchange&);          // oidc_token_endpoint.cpp
http::Response oidc_userinfo(Exchange&);       // oidc_token_resources.cpp
http::Response oidc_introspect(Exchange&);     // oidc_token_resources.cpp
http::Response oidc_revoke(Exchange&);         // oidc_token_resources.cpp
http::Response oidc_configuration(Exchange&);  // oidc_discovery.cpp

std::vector<Route> oidc_token_routes() {
  using http::Lane;
  return {
      {"POST", "/token", oidc_token, Access::OAuthClient, Lane::Pages, Csrf::None, Errors::OAuthJson, Cors::Any},
      {"GET", "/userinfo", oidc_userinfo, Access::Bearer, Lane::Pages, Csrf::None, Errors::OAuthJson, Cors::Any},
      {"POST", "/userinfo", oidc_userinfo, Access::Bearer, Lane::Pages, Csrf::None, Errors::OAuthJson, Cors::Any},
      {"POST", "/introspect", oidc_introspect, Access::OAuthClient, Lane::Pages, Csrf::None, Errors::OAuthJson,
       Cors::None},
      {"POST", "/revoke", oidc_revoke, Access::OAuthClient, Lane::Pages, Csrf::None, Errors::OAuthJson, Cors::Any},
      {"GET", "/.well-known/openid-configuration", oidc_configuration, Access::Anyone, Lane::Pages, Csrf::None,
       Errors::OAuthJson, Cors::Any},
  };
}

}  // namespace portier::web
