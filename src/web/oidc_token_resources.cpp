// What applications ask about tokens: UserInfo (OIDC Core 5.3; GET, POST
// with the header, POST with the form body), introspection (RFC 7662) and
// revocation (RFC 7009). The router has already checked the Bearer token
// or authenticated the client (web/route.h Access::Bearer, OAuthClient).
#include <spdlog/spdlog.h>

#include "oidc/token_service.h"
#include "web/oauth_access.h"
#include "web/pages.h"

namespace portier::web {

http::Response oidc_userinfo(Exchange& ex) {
  auto* tokens = ex.services().oidc_tokens;
  if (!tokens || !ex.bearer()) return ex.error(404);
  auto claims = tokens->userinfo(*ex.bearer());
  if (!claims) {
    auto& r = claims.error();
    if (r.status >= 500) spdlog::error("userinfo: {}", r.reason);
    auto resp = ex.oauth_error(r.status, r.error, r.description);
    if (r.status == 401 || r.status == 403)
      resp.set_header("WWW-Authenticate", "Bearer realm=\"portier\", error=\"" + r.error + "\"");
    return resp;
  }
  return ex.json(200, *claims);
}

http::Response oidc_introspect(Exchange& ex) {
  auto* tokens = ex.services().oidc_tokens;
  if (!tokens || !ex.oauth_client()) return ex.error(404);
  const auto& form = form_or_empty(ex);
  if (form.get("token").empty()) return ex.oauth_error(400, "invalid_request", "token is missing");
  auto answer = tokens->introspect(*ex.oauth_client(), form.get("token"), form.get("token_type_hint"));
  if (!answer) {
    spdlog::error("introspection: {}", answer.error().detail);
    return ex.oauth_error(503, "temporarily_unavailable");
  }
  return ex.json(200, *answer);
}

http::Response oidc_revoke(Exchange& ex) {
  auto* tokens = ex.services().oidc_tokens;
  if (!tokens || !ex.oauth_client()) return ex.error(404);
  const auto& form = form_or_empty(ex);
  if (form.get("token").empty()) return ex.oauth_error(400, "invalid_request", "token is missing");
  const auto& client = *ex.oauth_client();
  auto revoked = tokens->revoke(client, form.get("token"), form.get("token_type_hint"));
  if (!revoked) {
    // RFC 7009 2.2.1: the client retries later.
    spdlog::error("revocation: {}", revoked.error().detail);
    return ex.oauth_error(503, "temporarily_unavailable");
  }
  if (*revoked)
    ex.services().audit.record("oidc.token_revoked", std::nullopt, std::nullopt, ex.client(),
                               "client=" + client.client_id + " by=client");
  // 200 whether or not the token was known (RFC 7009 2.2): a client learns
  // nothing of other clients' tokens.
  return ex.json(200, boost::json::object{});
}

}  // namespace portier::web
