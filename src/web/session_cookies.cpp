#include "web/session_cookies.h"

#include "web/cookies.h"

namespace portier::web {

void set_session_cookie(Exchange& ex, const std::string& token, bool remember) {
  // A browser-session cookie unless the member asked to stay signed in: on a
  // shared PC, closing the browser must sign out. When remembered, Max-Age
  // matches the absolute timeout; the server enforces both limits anyway.
  std::optional<std::chrono::seconds> max_age;
  if (remember) max_age = ex.services().sessions.policy().absolute_timeout;
  ex.add_cookie(set_cookie(kSessionCookie, token, CookieOptions{ex.secure(), max_age}));
  // The choice stays beside a remembered session (it holds no secret) so
  // that a renewed token keeps the same lifetime in the browser.
  if (remember)
    ex.add_cookie(set_cookie(kRememberCookie, "1", CookieOptions{ex.secure(), max_age, "Strict"}));
  else if (!ex.cookie(kRememberCookie).empty())
    ex.add_cookie(clear_cookie(kRememberCookie, ex.secure()));
  ex.renew_csrf(token);
}
void clear_session_cookie(Exchange& ex) {
  ex.add_cookie(clear_cookie(kSessionCookie, ex.secure()));
  if (!ex.cookie(kRememberCookie).empty()) ex.add_cookie(clear_cookie(kRememberCookie, ex.secure()));
  ex.renew_csrf({});
}
Result<void> renew_session(Exchange& ex) {
  auto fresh = ex.services().sessions.renew(ex.session_token());
  if (!fresh) return tl::unexpected(fresh.error());
  set_session_cookie(ex, *fresh, remember_choice(ex));
  return {};
}
void keep_remember_choice(Exchange& ex, bool remember) {
  auto lifetime = ex.services().config.security.sign_in_flow_lifetime;
  if (remember)
    ex.add_cookie(set_cookie(kRememberCookie, "1", CookieOptions{ex.secure(), lifetime, "Strict"}));
  else if (!ex.cookie(kRememberCookie).empty())
    ex.add_cookie(clear_cookie(kRememberCookie, ex.secure()));
}
bool remember_choice(Exchange& ex) { return ex.cookie(kRememberCookie) == "1"; }
http::Response renewed_redirect(Exchange& ex, const std::string& location) {
  if (auto r = renew_session(ex); !r) return ex.failure(r.error());
  return ex.redirect(location);
}
http::Response signed_out_by_reauth(Exchange& ex) {
  clear_session_cookie(ex);
  return ex.redirect("/connexion?info=reauth_locked_out");
}
void set_flow_cookie(Exchange& ex, const std::string& token, std::chrono::seconds lifetime) {
  ex.add_cookie(set_cookie(kFlowCookie, token, CookieOptions{ex.secure(), lifetime, "Strict"}));
}
void clear_flow_cookie(Exchange& ex) { ex.add_cookie(clear_cookie(kFlowCookie, ex.secure())); }
void set_device_cookie(Exchange& ex, const std::string& value) {
  ex.add_cookie(set_cookie(kDeviceCookie, value,
                           CookieOptions{ex.secure(), ex.services().config.lockout.device_cookie_lifetime}));
}

}  // namespace portier::web
