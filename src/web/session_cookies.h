#pragma once
// The cookies that carry sign-in state: the session and the short-lived
// password-change flow. Names and flags live here only.
#include "web/exchange.h"

namespace portier::web {

inline constexpr const char* kSessionCookie = "portier_session";
inline constexpr const char* kFlowCookie = "portier_flow";

void set_session_cookie(Exchange& ex, const std::string& token);
void clear_session_cookie(Exchange& ex);
void set_flow_cookie(Exchange& ex, const std::string& token, std::chrono::seconds lifetime);
void clear_flow_cookie(Exchange& ex);

}  // namespace portier::web
