#include "web/sign_in_finish.h"

#include "oidc/authentication_context.h"
#include "oidc/authorization_service.h"
#include "session/strong_sign_in_policy.h"
#include "web/session_cookies.h"
#include "web/strong_sign_in_pages.h"

namespace portier::web {

namespace {

StrongSignInPolicy policy_of(Exchange& ex) { return StrongSignInPolicy(ex.services().config.security.strong_sign_in_roles); }

}  // namespace

bool link_only_session(Exchange& ex) {
  // Only on a link confirmation, where Exchange::account() shows such a
  // session (elsewhere it hides it). Never from finish_sign_in: reading the
  // request's old session there would clear the new session's cookie.
  const auto& a = ex.account();
  return a && !policy_of(ex).allows(a->role, ex.session()->auth_methods, "/mon-espace");
}

bool link_waiting(Exchange& ex) {
  return (ex.services().config.card.enabled && !ex.cookie(kCardLinkCookie).empty()) ||
         !ex.cookie(kFederationLinkCookie).empty();
}

http::Response finish_sign_in(Exchange& ex, const SignedIn& done, bool remember, std::string_view fallback) {
  const auto& methods = done.session.session.auth_methods;
  switch (policy_of(ex).judge(done.account.role, methods, link_waiting(ex))) {
    case StrongSignInVerdict::Refuse:
      // The session the sign-in made ends before its cookie is ever sent;
      // the browser keeps whatever it had (nothing, or another member's).
      (void)ex.services().sessions.end(done.session.token);
      ex.services().audit.record("sign_in.strong_required", done.account.id, done.account.id, ex.client(), methods);
      return strong_sign_in_page(ex, StrongReason::Role, 403);
    case StrongSignInVerdict::LinkOnly:
      ex.services().audit.record("sign_in.link_only", done.account.id, done.account.id, ex.client(), methods);
      break;
    case StrongSignInVerdict::Open: break;
  }
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
  if (!p) return false;
  if (oidc::wants_multi_factor(p->request.acr_values)) return true;
  // A client's minimum above the password: the password is never enough.
  auto client = ex.services().authorization->client(p->request.client_id);
  return client && !client->minimum_acr.empty() && !oidc::acr_satisfies(oidc::kAcrPassword, client->minimum_acr);
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
