#include "web/session_cookies.h"

#include "web/cookies.h"

namespace portier::web {

void set_session_cookie(Exchange& ex, const std::string& token) {
  // Max-Age matches the absolute timeout; the server enforces both limits anyway.
  ex.add_cookie(set_cookie(kSessionCookie, token,
                           CookieOptions{ex.secure(), ex.services().sessions.policy().absolute_timeout}));
}
void clear_session_cookie(Exchange& ex) { ex.add_cookie(clear_cookie(kSessionCookie, ex.secure())); }
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
