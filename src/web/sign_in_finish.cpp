#include "web/sign_in_finish.h"

#include "oidc/authentication_context.h"
#include "oidc/authorization_service.h"
#include "web/session_cookies.h"

namespace portier::web {

http::Response finish_sign_in(Exchange& ex, const SignedIn& done, bool remember, std::string_view fallback) {
  // A fresh session id at every sign-in; any session this browser had ends.
  if (auto old = ex.cookie(kSessionCookie); !old.empty()) (void)ex.services().sessions.end(old);
  set_session_cookie(ex, done.session.token, remember);
  if (!done.device_cookie.empty()) set_device_cookie(ex, done.device_cookie);
  return ex.redirect(continue_location(ex, fallback));
}

bool pending_request_wants_second_step(Exchange& ex) {
  auto token = ex.cookie(kAuthorizationCookie);
  if (!ex.services().config.oidc.enabled || token.empty() || !ex.services().authorization) return false;
  // A request that expired or cannot be read is dealt with by the resume
  // page after the sign-in; the sign-in itself follows the role's policy.
  auto p = ex.services().authorization->pending(token);
  return p && oidc::wants_multi_factor(p->request.acr_values);
}

std::string continue_location(Exchange& ex, std::string_view fallback) {
  // A smart card waiting to be linked (web/card_pages.cpp): its confirmation
  // comes first; it continues here afterwards.
  if (ex.services().config.card.enabled && !ex.cookie(kCardLinkCookie).empty()) return "/carte-cps/liaison";
  if (ex.services().federation && !ex.cookie(kFederationLinkCookie).empty()) return "/federation/liaison";
  // The resume page checks the request itself (it may have expired): a
  // stale cookie costs one redirect, and it is cleared there.
  if (ex.services().config.oidc.enabled && !ex.cookie(kAuthorizationCookie).empty()) return "/autorisation/reprise";
  return std::string(fallback);
}

}  // namespace portier::web
