#include "web/router.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "web/card_pages.h"
#include "web/strong_sign_in_pages.h"
#include "web/federation_pages.h"
#include "web/federation_link_pages.h"
#include "web/federation_account_pages.h"
#include "web/console_access.h"
#include "web/federation_logout_pages.h"
#include "web/oauth_access.h"
#include "web/oidc_pages.h"
#include "web/origin_check.h"

namespace portier::web {

using http::Lane;

Router::Router(WebServices& services, StaticFiles statics)
    : services_(services), statics_(std::move(statics)), own_origin_(origin_of(services.config.server.public_url)) {
  routes_ = {
      {"GET", "/", home},
      {"GET", "/connexion", show_sign_in},
      {"POST", "/connexion", submit_sign_in, Access::Anyone, Lane::Hashing},
      {"GET", "/connexion/code", show_second_step},
      {"POST", "/connexion/code", submit_second_step_code},
      {"POST", "/connexion/code/envoi", submit_second_step_send},
      {"GET", "/connexion/nouveau-mot-de-passe", show_required_change},
      {"POST", "/connexion/nouveau-mot-de-passe", submit_required_change, Access::Anyone, Lane::Hashing},
      {"POST", "/deconnexion", sign_out},
      {"POST", "/connexion/oublier-identifiant", forget_remembered_identifier},
      {"GET", "/mon-espace", show_account, Access::Member},
      {"POST", "/mon-espace/profil", submit_profile, Access::Member},
      {"POST", "/mon-espace/mot-de-passe", submit_password_change, Access::Member, Lane::Hashing},
      {"POST", "/mon-espace/sessions", submit_end_sessions, Access::Member, Lane::Hashing},
      {"POST", "/mon-espace/mobile", submit_phone_change, Access::Member, Lane::Hashing},
      {"GET", "/mon-espace/mobile", show_phone_verification, Access::Member},
      {"POST", "/mon-espace/mobile/code", submit_phone_code, Access::Member},
      {"GET", "/mon-espace/mobile/verifie", show_phone_verified, Access::Member},
      {"POST", "/mon-espace/mobile/sms-prefere", submit_sms_offer, Access::Member},
      {"POST", "/mon-espace/mobile/supprimer", submit_phone_removal, Access::Member, Lane::Hashing},
      {"POST", "/mon-espace/canal", submit_channel, Access::Member, Lane::Hashing},
      {"GET", "/mon-espace/application", show_totp_enrolment, Access::Member},
      {"POST", "/mon-espace/application/nouvelle-cle", submit_totp_new_key, Access::Member},
      {"POST", "/mon-espace/application/annuler", submit_totp_cancel, Access::Member},
      {"POST", "/mon-espace/application", submit_totp_enrolment, Access::Member, Lane::Hashing},
      {"POST", "/mon-espace/application/codes", submit_totp_codes, Access::Member, Lane::Hashing},
      {"POST", "/mon-espace/application/supprimer", submit_totp_removal, Access::Member, Lane::Hashing},
      {"GET", "/mon-espace/courriel", show_email_change, Access::Member},
      {"POST", "/mon-espace/courriel", submit_email_change, Access::Member, Lane::Hashing},
      {"POST", "/mon-espace/courriel/code", submit_email_change_code, Access::Member},
      {"POST", "/mon-espace/courriel/annuler", submit_email_change_withdraw, Access::Member},
      {"GET", "/changement-courriel/confirmer", show_email_change_confirm},
      {"POST", "/changement-courriel/confirmer", submit_email_change_confirm},
      {"GET", "/changement-courriel/pas-moi", show_email_change_cancel},
      {"POST", "/changement-courriel/pas-moi", submit_email_change_cancel},
      {"GET", "/installation", show_setup},
      {"POST", "/installation", submit_setup, Access::Anyone, Lane::Hashing},
      {"GET", "/mentions-legales", legal_notice},
      {"GET", "/contact", contact},
      {"GET", "/assistance", show_assistance},
      {"POST", "/assistance", submit_assistance},
      {"GET", "/support/demandes", show_assistance_queue, Access::Staff},
      {"GET", "/support/demandes/demande", show_assistance_request, Access::Staff},
      {"POST", "/support/demandes/prendre", submit_assistance_take, Access::Staff},
      {"POST", "/support/demandes/planifier", submit_assistance_schedule, Access::Staff},
      {"POST", "/support/demandes/clore", submit_assistance_close, Access::Staff},
      {"GET", "/premiere-connexion", show_first_connection},
      {"POST", "/premiere-connexion", submit_first_connection},
      {"GET", "/premiere-connexion/code", show_activation_code},
      {"POST", "/premiere-connexion/code", submit_activation_code},
      {"GET", "/premiere-connexion/activer", show_activation},
      {"POST", "/premiere-connexion/activer", submit_activation, Access::Anyone, Lane::Hashing},
      {"GET", "/identifiant-oublie", show_forgot_identifier},
      {"POST", "/identifiant-oublie", submit_forgot_identifier},
      {"GET", "/mot-de-passe-oublie", show_forgot_password},
      {"POST", "/mot-de-passe-oublie", submit_forgot_password},
      {"GET", "/mot-de-passe-oublie/code", show_recovery_sent},
      {"POST", "/mot-de-passe-oublie/code", submit_recovery_code},
      {"POST", "/mot-de-passe-oublie/renvoyer", submit_recovery_resend},
      {"GET", "/mot-de-passe-oublie/nouveau", show_reset_password},
      {"POST", "/mot-de-passe-oublie/nouveau", submit_reset_password, Access::Anyone, Lane::Hashing},
      {"GET", "/support", show_console, Access::Staff},
      {"GET", "/support/compte", show_console_account, Access::Staff},
      {"POST", "/support/compte/rappel-identifiant", submit_console_reminder, Access::StaffOnAccount},
      {"POST", "/support/compte/reinitialisation", submit_console_reset, Access::StaffOnAccount},
      {"POST", "/support/compte/invitation", submit_console_invitation, Access::StaffOnAccount},
      {"POST", "/support/compte/mot-de-passe-temporaire", submit_console_temporary, Access::StaffOnAccount, Lane::Hashing},
      {"POST", "/support/compte/suspension", submit_console_unlock, Access::StaffOnAccount, Lane::Hashing},
      {"POST", "/support/compte/sessions", submit_console_end_sessions, Access::StaffOnAccount, Lane::Hashing},
      {"POST", "/support/compte/application", submit_console_app_reset, Access::StaffOnAccount, Lane::Hashing},
      {"POST", "/support/compte/statut", submit_console_status, Access::StaffOnAccount, Lane::Hashing},
      {"POST", "/support/compte/courriel", submit_console_email, Access::StaffOnAccount, Lane::Hashing},
      {"POST", "/support/compte/courriel/annuler", submit_console_email_cancel, Access::StaffOnAccount},
      {"POST", "/support/compte/mobile", submit_console_phone, Access::StaffOnAccount, Lane::Hashing},
      {"POST", "/support/compte/role", submit_console_role, Access::AdminOnAccount, Lane::Hashing},
      {"POST", "/support/confirmation", submit_console_confirm, Access::Staff, Lane::Hashing},
      {"GET", "/support/import", show_console_import, Access::Staff},
      {"POST", "/support/import", submit_console_import, Access::Staff, Lane::Hashing},
      {"GET", "/langue", switch_language},
      {"GET", "/robot/defi", robot_challenge, Access::Anyone, Lane::Inline},
      {"GET", "/healthz", healthz, Access::Anyone, Lane::Inline},
      {"GET", "/readyz", readyz},
      {"GET", "/metrics", metrics, Access::Anyone, Lane::Inline},
      {"GET", "/.well-known/jwks.json", jwks, Access::Anyone, Lane::Pages, Csrf::None, Errors::OAuthJson, Cors::Any},
  };
  append(routes_, oidc_token_routes());
  // Features register their own routes.
  append(routes_, authorization_routes());
  append(routes_, application_routes());
  append(routes_, client_console_routes());
  append(routes_, logout_routes());
  append(routes_, card_routes());
  append(routes_, strong_sign_in_routes());
  append(routes_, federation_routes(services.config));
  append(routes_, federation_link_routes());
  append(routes_, federation_account_routes());
  append(routes_, federation_logout_routes(services));
  // Every action of the console's account page acts on the account its form
  // names: a route there that skipped the rank rule would reopen the
  // takeover path (a support agent resetting an administrator), so such a
  // table does not start.
  for (auto& r : routes_)
    if (r.method == "POST" && r.path.rfind("/support/compte/", 0) == 0 && r.access != Access::StaffOnAccount &&
        r.access != Access::AdminOnAccount)
      throw std::logic_error("console route " + r.path + " must be declared Access::StaffOnAccount or AdminOnAccount");
}

const Route* Router::match(const http::Request& request, bool& path_known) const {
  path_known = false;
  for (auto& r : routes_) {
    if (r.path != request.path) continue;
    path_known = true;
    if (r.method == request.method || (r.method == "GET" && request.method == "HEAD")) return &r;
  }
  return nullptr;
}

const Route* Router::first_route(const std::string& path) const {
  for (auto& r : routes_)
    if (r.path == path) return &r;
  return nullptr;
}

http::Response Router::preflight(const http::Request& request) const {
  // Only the JSON endpoints applications call answer other origins, and
  // they honour no cookie: what a preflight allows is what a server-side
  // client could send anyway.
  http::Response r;
  r.status = 204;
  r.route = request.path;
  r.set_header("Access-Control-Allow-Origin", "*");
  r.set_header("Access-Control-Allow-Methods", allowed_methods(request.path));
  r.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
  r.set_header("Access-Control-Max-Age", "600");
  apply_security_headers(r, services_.config.is_https());
  return r;
}

Lane Router::lane(const http::Request& request) const {
  if (request.path.rfind("/static/", 0) == 0) return Lane::Inline;
  bool known;
  auto r = match(request, known);
  return r ? r->lane : Lane::Pages;
}

std::string Router::allowed_methods(const std::string& path) const {
  std::string out;
  for (auto& r : routes_) {
    if (r.path != path) continue;
    if (!out.empty()) out += ", ";
    out += r.method;
    if (r.method == "GET") out += ", HEAD";
  }
  return out;
}

std::optional<http::Response> Router::refuse(const Route& route, Exchange& ex) const {
  switch (route.access) {
    case Access::Anyone: return std::nullopt;
    case Access::Member:
      if (ex.account()) return std::nullopt;
      return ex.redirect(ex.request().method == "GET" ? "/connexion" : "/connexion?info=session_expired");
    case Access::Staff:
    case Access::Admin:
    case Access::StaffOnAccount:
    case Access::AdminOnAccount: {
      bool admin_only = route.access == Access::Admin || route.access == Access::AdminOnAccount;
      std::optional<http::Response> refusal;
      auto agent = console_agent(ex, admin_only ? ConsoleLevel::AdminOnly : ConsoleLevel::Staff, refusal);
      if (!agent) return refusal;
      ex.set_agent(std::move(*agent));
      if (route.access == Access::StaffOnAccount || route.access == Access::AdminOnAccount)
        return console_target(ex, route.path);
      return std::nullopt;
    }
    case Access::OAuthClient: return oauth_client_gate(ex);
    case Access::Bearer: return bearer_gate(ex);
  }
  return std::nullopt;
}

http::Response Router::handle(const http::Request& request) {
  if (request.path.rfind("/static/", 0) == 0 && (request.method == "GET" || request.method == "HEAD")) {
    if (auto f = statics_.find(std::string_view(request.path).substr(8))) {
      http::Response r;
      r.route = "/static";
      r.set_header("Content-Type", f->content_type);
      r.set_header("Cache-Control", "public, max-age=3600");
      r.body = f->body;
      apply_security_headers(r, services_.config.is_https());
      return r;
    }
  }
  Exchange ex(request, services_);
  bool known;
  auto route = match(request, known);
  // The policy of the path's routes when the method is not among them (a
  // 405 or a CORS preflight answers in the path's own manner).
  const Route* family = route ? route : first_route(request.path);
  if (family && family->errors == Errors::OAuthJson) ex.use_oauth_errors();
  if (!route && family && family->cors == Cors::Any && request.method == "OPTIONS") return preflight(request);
  bool form_route = !route || route->csrf == Csrf::Required;
  http::Response r;
  try {
    if (!route) {
      r = ex.error(known ? 405 : 404);
      if (known) r.set_header("Allow", allowed_methods(request.path));
    } else if (request.method == "POST" && form_route &&
               foreign_post(request.header("origin"), request.header("sec-fetch-site"), own_origin_)) {
      spdlog::warn("cross-origin POST to {} from {} refused (Origin '{}', Sec-Fetch-Site '{}')", request.path,
                   ex.client().ip, request.header("origin").substr(0, 100),
                   request.header("sec-fetch-site").substr(0, 20));
      r = ex.error(403, "error_cross_origin");
    } else if (request.method == "POST" && !ex.form() && !(route->csrf == Csrf::None && request.body.empty())) {
      // (An application may POST nothing but headers: UserInfo with a
      // Bearer header, RFC 6750 2.1. Its handler reads no form then.)
      r = ex.error(400, "error_bad_form");
    } else if (request.method == "POST" && form_route && !ex.csrf_valid()) {
      // Most often a form shown before this browser signed in or out (another tab).
      spdlog::warn("CSRF check failed on {} from {}", request.path, ex.client().ip);
      r = ex.error(403, "error_csrf_session");
    } else if (auto refusal = refuse(*route, ex)) {
      r = std::move(*refusal);
    } else {
      r = route->handler(ex);
    }
  } catch (const std::exception& e) {
    // Handlers return outcomes; an exception here is a bug. Answer cleanly.
    spdlog::error("handler for {} threw: {}", request.path, e.what());
    r = ex.error(500);
  }
  if (ex.database_unavailable()) {
    // Whatever the handler made of "no session" (a redirect to sign in, a
    // cleared cookie), the truth is "try again": no cookie leaves, so the
    // member is still signed in when the database is back.
    spdlog::error("{} {}: the session could not be read (database unavailable)", request.method, request.path);
    r = ex.error(503);
    std::erase_if(r.headers, [](const auto& h) { return h.first == "Set-Cookie"; });
  }
  if (family && family->cors == Cors::Any) r.set_header("Access-Control-Allow-Origin", "*");
  r.route = route ? route->path : (known ? request.path : "unmatched");
  // A HEAD answer keeps its body here: the HTTP layer drops it and keeps its
  // length in Content-Length.
  return r;
}

http::Response Router::error_page(int status, const http::Request* request) {
  static const http::Request empty;
  Exchange ex(request ? *request : empty, services_);
  // The server's own 503 means a full pool (a sign-in storm): say it is busy.
  auto r = status == 503 ? ex.error(503, "error_busy") : ex.error(status);
  // Without the request's cookies the page would mint a new CSRF cookie and
  // so break every form open in the visitor's other tabs: set no cookie here.
  std::erase_if(r.headers, [](const auto& h) { return h.first == "Set-Cookie"; });
  r.set_header("Connection", "close");
  return r;
}

}  // namespace portier::web
