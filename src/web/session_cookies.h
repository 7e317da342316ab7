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

void set_session_cookie(Exchange& ex, const std::string& token);
void clear_session_cookie(Exchange& ex);
void set_flow_cookie(Exchange& ex, const std::string& token, std::chrono::seconds lifetime);
void clear_flow_cookie(Exchange& ex);
void set_device_cookie(Exchange& ex, const std::string& value);
// The answer after a re-authentication ended the account's sessions
// (session/reauthentication.h): the browser is signed out and the sign-in
// page says why.
http::Response signed_out_by_reauth(Exchange& ex);

}  // namespace portier::web
