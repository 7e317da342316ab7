#pragma once
// The cookies that carry sign-in state: the session and the short-lived
// password-change flow. Names and flags live here only.
#include "web/exchange.h"

namespace portier::web {

inline constexpr const char* kSessionCookie = "portier_session";
inline constexpr const char* kFlowCookie = "portier_flow";
// Signed entries of the accounts that signed in with this browser (see
// session/device_trust.h); long-lived, and no session: it grants nothing.
inline constexpr const char* kDeviceCookie = "portier_device";

// The sign-in form's "stay signed in on this computer" choice, carried
// through the second step and the forced password change (Strict, as long
// as the sign-in flow), then kept beside a remembered session. Only the
// cookie's lifetime in the browser depends on it; the server's timeouts are
// the same either way.
inline constexpr const char* kRememberCookie = "portier_remember";

// Starts the browser's session. Without `remember` the cookie has no
// Max-Age: the browser drops it when it closes (shared PCs); with it, it
// lasts the absolute timeout. Also renews the CSRF secret and binds this
// response's forms to the new session.
void set_session_cookie(Exchange& ex, const std::string& token, bool remember);
// Ends it in the browser (sign-out), with a fresh CSRF secret too.
void clear_session_cookie(Exchange& ex);
// After the member typed their password again (session/reauthentication.h):
// the session gets a new token, the old one stops working (ASVS 7.2.4), and
// the browser keeps the cookie lifetime it had.
Result<void> renew_session(Exchange& ex);
// The usual answer after a form that asked for the password: renew the
// session, then redirect to `location`.
http::Response renewed_redirect(Exchange& ex, const std::string& location);
// Keeps (or forgets) the choice while the sign-in needs another step.
void keep_remember_choice(Exchange& ex, bool remember);
bool remember_choice(Exchange& ex);
void set_flow_cookie(Exchange& ex, const std::string& token, std::chrono::seconds lifetime);
void clear_flow_cookie(Exchange& ex);
void set_device_cookie(Exchange& ex, const std::string& value);
// The answer after a re-authentication ended the account's sessions
// (session/reauthentication.h): the browser is signed out and the sign-in
// page says why.
http::Response signed_out_by_reauth(Exchange& ex);

}  // namespace portier::web
