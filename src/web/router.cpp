#include "web/router.h"

#include <spdlog/spdlog.h>

namespace portier::web {

Router::Router(WebServices& services, StaticFiles statics) : services_(services), statics_(std::move(statics)) {
  routes_ = {
      {"GET", "/", home, false},
      {"GET", "/connexion", show_sign_in, false},
      {"POST", "/connexion", submit_sign_in, false},
      {"GET", "/connexion/code", show_second_step, false},
      {"POST", "/connexion/code", submit_second_step_code, false},
      {"POST", "/connexion/code/envoi", submit_second_step_send, false},
      {"GET", "/connexion/nouveau-mot-de-passe", show_required_change, false},
      {"POST", "/connexion/nouveau-mot-de-passe", submit_required_change, false},
      {"POST", "/deconnexion", sign_out, false},
      {"GET", "/mon-espace", show_account, false},
      {"POST", "/mon-espace/profil", submit_profile, false},
      {"POST", "/mon-espace/mot-de-passe", submit_password_change, false},
      {"POST", "/mon-espace/sessions", submit_end_sessions, false},
      {"POST", "/mon-espace/mobile", submit_phone_change, false},
      {"GET", "/mon-espace/mobile", show_phone_verification, false},
      {"POST", "/mon-espace/mobile/code", submit_phone_code, false},
      {"POST", "/mon-espace/mobile/supprimer", submit_phone_removal, false},
      {"POST", "/mon-espace/canal", submit_channel, false},
      {"GET", "/mon-espace/application", show_totp_enrolment, false},
      {"POST", "/mon-espace/application", submit_totp_enrolment, false},
      {"POST", "/mon-espace/application/codes", submit_totp_codes, false},
      {"POST", "/mon-espace/application/supprimer", submit_totp_removal, false},
      {"GET", "/installation", show_setup, false},
      {"POST", "/installation", submit_setup, false},
      {"GET", "/mentions-legales", legal_notice, false},
      {"GET", "/contact", contact, false},
      {"GET", "/assistance", show_assistance, false},
      {"POST", "/assistance", submit_assistance, false},
      {"GET", "/support/demandes", show_assistance_queue, false},
      {"GET", "/support/demandes/demande", show_assistance_request, false},
      {"POST", "/support/demandes/prendre", submit_assistance_take, false},
      {"POST", "/support/demandes/planifier", submit_assistance_schedule, false},
      {"POST", "/support/demandes/clore", submit_assistance_close, false},
      {"GET", "/carte-cps", smart_card, false},
      {"GET", "/premiere-connexion", show_first_connection, false},
      {"POST", "/premiere-connexion", submit_first_connection, false},
      {"GET", "/premiere-connexion/code", show_activation_code, false},
      {"POST", "/premiere-connexion/code", submit_activation_code, false},
      {"GET", "/premiere-connexion/activer", show_activation, false},
      {"POST", "/premiere-connexion/activer", submit_activation, false},
      {"GET", "/identifiant-oublie", show_forgot_identifier, false},
      {"POST", "/identifiant-oublie", submit_forgot_identifier, false},
      {"GET", "/mot-de-passe-oublie", show_forgot_password, false},
      {"POST", "/mot-de-passe-oublie", submit_forgot_password, false},
      {"GET", "/mot-de-passe-oublie/code", show_recovery_sent, false},
      {"POST", "/mot-de-passe-oublie/code", submit_recovery_code, false},
      {"POST", "/mot-de-passe-oublie/renvoyer", submit_recovery_resend, false},
      {"GET", "/mot-de-passe-oublie/nouveau", show_reset_password, false},
      {"POST", "/mot-de-passe-oublie/nouveau", submit_reset_password, false},
      {"GET", "/support", show_console, false},
      {"GET", "/support/compte", show_console_account, false},
      {"POST", "/support/compte/rappel-identifiant", submit_console_reminder, false},
      {"POST", "/support/compte/reinitialisation", submit_console_reset, false},
      {"POST", "/support/compte/invitation", submit_console_invitation, false},
      {"POST", "/support/compte/mot-de-passe-temporaire", submit_console_temporary, false},
      {"POST", "/support/compte/suspension", submit_console_unlock, false},
      {"POST", "/support/compte/statut", submit_console_status, false},
      {"POST", "/support/compte/courriel", submit_console_email, false},
      {"POST", "/support/compte/mobile", submit_console_phone, false},
      {"POST", "/support/compte/role", submit_console_role, false},
      {"GET", "/support/import", show_console_import, false},
      {"POST", "/support/import", submit_console_import, false},
      {"GET", "/langue", switch_language, false},
      {"GET", "/robot/defi", robot_challenge, true},
      {"GET", "/healthz", healthz, true},
      {"GET", "/readyz", readyz, false},
      {"GET", "/metrics", metrics, true},
  };
}

const Router::Route* Router::match(const http::Request& request, bool& path_known) const {
  path_known = false;
  for (auto& r : routes_) {
    if (r.path != request.path) continue;
    path_known = true;
    if (r.method == request.method || (r.method == "GET" && request.method == "HEAD")) return &r;
  }
  return nullptr;
}

bool Router::is_inline(const http::Request& request) const {
  if (request.path.rfind("/static/", 0) == 0) return true;
  bool known;
  auto r = match(request, known);
  return r && r->inline_ok;
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
  http::Response r;
  try {
    if (!route) {
      r = ex.error(known ? 405 : 404);
      if (known) r.set_header("Allow", "GET, POST");
    } else if (request.method == "POST" && !ex.form()) {
      r = ex.error(400, "error_bad_form");
    } else if (request.method == "POST" && !ex.csrf_valid()) {
      spdlog::warn("CSRF check failed on {} from {}", request.path, ex.client().ip);
      r = ex.error(403, "error_csrf");
    } else {
      r = route->handler(ex);
    }
  } catch (const std::exception& e) {
    // Handlers return outcomes; an exception here is a bug. Answer cleanly.
    spdlog::error("handler for {} threw: {}", request.path, e.what());
    r = ex.error(500);
  }
  r.route = route ? route->path : (known ? request.path : "unmatched");
  if (request.method == "HEAD") r.body.clear();
  return r;
}

http::Response Router::error_page(int status, const http::Request* request) {
  static const http::Request empty;
  Exchange ex(request ? *request : empty, services_);
  auto r = ex.error(status);
  // Without the request's cookies the page would mint a new CSRF cookie and
  // so break every form open in the visitor's other tabs: set no cookie here.
  std::erase_if(r.headers, [](const auto& h) { return h.first == "Set-Cookie"; });
  r.set_header("Connection", "close");
  return r;
}

}  // namespace portier::web
