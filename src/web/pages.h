#pragma once
// Page and endpoint handlers. Each is intent in a few lines: read the form,
// call one service, render or redirect. Grouped by file:
//   sign_in_pages.cpp  account_pages.cpp  recovery_pages.cpp  setup_pages.cpp  info_pages.cpp  ops_endpoints.cpp
//   activation_pages.cpp (first connection)
//   totp_pages.cpp (Mon espace → authenticator app)
//   robot_pages.cpp (helpers for guarded forms: robot_field.h)
#include <vector>

#include "http/request.h"
#include "web/exchange.h"

namespace portier::web {

using Handler = http::Response (*)(Exchange&);

// sign_in_pages.cpp
http::Response show_sign_in(Exchange&);
http::Response submit_sign_in(Exchange&);
http::Response show_required_change(Exchange&);
http::Response submit_required_change(Exchange&);
http::Response sign_out(Exchange&);
http::Response forget_remembered_identifier(Exchange&);

// account_pages.cpp
http::Response show_account(Exchange&);
http::Response submit_profile(Exchange&);
http::Response submit_password_change(Exchange&);
http::Response submit_end_sessions(Exchange&);

// totp_pages.cpp
http::Response show_totp_enrolment(Exchange&);
http::Response submit_totp_enrolment(Exchange&);
http::Response submit_totp_new_key(Exchange&);
http::Response submit_totp_cancel(Exchange&);
http::Response submit_totp_codes(Exchange&);
http::Response submit_totp_removal(Exchange&);

// setup_pages.cpp
http::Response show_setup(Exchange&);
http::Response submit_setup(Exchange&);

// info_pages.cpp
http::Response home(Exchange&);
http::Response legal_notice(Exchange&);
http::Response contact(Exchange&);
http::Response smart_card(Exchange&);
http::Response switch_language(Exchange&);

// code_settings_pages.cpp (Mon espace: mobile number and code channel)
http::Response submit_phone_change(Exchange&);
http::Response show_phone_verification(Exchange&);
http::Response submit_phone_code(Exchange&);
// After the proof, while codes still go by email: "make SMS the preferred channel?" in one click.
http::Response show_phone_verified(Exchange&);
http::Response submit_sms_offer(Exchange&);
http::Response submit_phone_removal(Exchange&);
http::Response submit_channel(Exchange&);

// second_step_pages.cpp
http::Response show_second_step(Exchange&);
http::Response submit_second_step_send(Exchange&);
http::Response submit_second_step_code(Exchange&);
// Right after the password: with one channel only, the code is sent at once
// (once per sign-in: a reload of the page sends nothing); then the page.
http::Response second_step_arrival(Exchange&, const std::string& flow_token);

// recovery_pages.cpp
http::Response show_forgot_identifier(Exchange&);
http::Response submit_forgot_identifier(Exchange&);
http::Response show_forgot_password(Exchange&);
http::Response submit_forgot_password(Exchange&);
http::Response show_recovery_sent(Exchange&);
http::Response submit_recovery_code(Exchange&);
http::Response submit_recovery_resend(Exchange&);
http::Response show_reset_password(Exchange&);
http::Response submit_reset_password(Exchange&);

// activation_pages.cpp (Première connexion: invitations of pending accounts)
http::Response show_first_connection(Exchange&);
http::Response submit_first_connection(Exchange&);
http::Response show_activation_code(Exchange&);
http::Response submit_activation_code(Exchange&);
http::Response show_activation(Exchange&);
http::Response submit_activation(Exchange&);

// console_pages.cpp (support console, /support: every handler passes console_access.h first)
http::Response show_console(Exchange&);
http::Response show_console_account(Exchange&);
http::Response submit_console_reminder(Exchange&);
http::Response submit_console_reset(Exchange&);
http::Response submit_console_invitation(Exchange&);
http::Response submit_console_temporary(Exchange&);
http::Response submit_console_unlock(Exchange&);
http::Response submit_console_end_sessions(Exchange&);
http::Response submit_console_app_reset(Exchange&);
http::Response submit_console_status(Exchange&);
http::Response submit_console_email(Exchange&);
http::Response submit_console_phone(Exchange&);
http::Response submit_console_role(Exchange&);
http::Response submit_console_confirm(Exchange&);
// email_change_pages.cpp (Mon espace /mon-espace/courriel, links /changement-courriel/...)
http::Response show_email_change(Exchange&);
http::Response submit_email_change(Exchange&);
http::Response submit_email_change_code(Exchange&);
http::Response submit_email_change_withdraw(Exchange&);
http::Response show_email_change_confirm(Exchange&);
http::Response submit_email_change_confirm(Exchange&);
http::Response show_email_change_cancel(Exchange&);
http::Response submit_email_change_cancel(Exchange&);
http::Response submit_console_email_cancel(Exchange&);
// console_import_pages.cpp (support console: CSV import)
http::Response show_console_import(Exchange&);
http::Response submit_console_import(Exchange&);

// assistance_pages.cpp (public request form) and assistance_staff_pages.cpp (/support/demandes)
http::Response show_assistance(Exchange&);
http::Response submit_assistance(Exchange&);
http::Response show_assistance_queue(Exchange&);
http::Response show_assistance_request(Exchange&);
http::Response submit_assistance_take(Exchange&);
http::Response submit_assistance_schedule(Exchange&);
http::Response submit_assistance_close(Exchange&);

// robot_pages.cpp
http::Response robot_challenge(Exchange&);

// console_client_pages.cpp (/support/applications: registered OIDC clients, administrators only)
struct Route;
std::vector<Route> client_console_routes();

// oidc_logout_pages.cpp (RP-initiated logout: GET|POST /logout, POST /logout/confirmation)
std::vector<Route> logout_routes();

// ops_endpoints.cpp
http::Response healthz(Exchange&);
http::Response readyz(Exchange&);
http::Response jwks(Exchange&);  // jwks_endpoint.cpp
http::Response metrics(Exchange&);

// The OIDC provider's token side (oidc_token_routes.cpp): /token,
// /userinfo, /introspect, /revoke, /.well-known/openid-configuration.
struct Route;
std::vector<Route> oidc_token_routes();

}  // namespace portier::web
