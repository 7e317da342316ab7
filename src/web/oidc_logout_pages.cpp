// OpenID Connect RP-Initiated Logout 1.0 at GET|POST /logout (the discovery
// document's end_session_endpoint) and its confirmation form. Applications
// send the browser here (a redirect, or a cross-site form POST: Csrf::None
// on the entry); the confirmation form posts to our own
// /logout/confirmation with CSRF as usual. Ending the session goes through
// SessionService, so the other applications get back-channel logouts
// (oidc/logout_service.h). 404 while oidc.enabled is false.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <variant>
#include <boost/url/url.hpp>
#include <boost/url/parse.hpp>

#include "oidc/client_store.h"
#include "oidc/id_token_hint.h"
#include "oidc/key_ring.h"
#include "oidc/subject.h"
#include "web/route.h"
#include "web/session_cookies.h"

namespace portier::web {

namespace {

// What the request asked for, checked: `client` is known when the hint or
// client_id named a registered client; `redirect` is only ever an exact
// member of that client's post_logout_redirect_uris.
struct LogoutRequest {
  std::optional<oidc::IdTokenHint> hint;
  std::optional<oidc::Client> client;
  std::string redirect;
  std::string state;
};

const Form& parameters(Exchange& ex) {
  static const Form empty;
  if (ex.request().method == "POST") return ex.form() ? *ex.form() : empty;
  return ex.query();
}

// The first of `ui_locales` (space-separated BCP 47 tags) that we speak.
void apply_ui_locales(Exchange& ex, std::string_view ui_locales) {
  while (!ui_locales.empty()) {
    auto end = ui_locales.find(' ');
    auto tag = ui_locales.substr(0, end);
    auto primary = tag.substr(0, tag.find('-'));
    if (primary == "fr" || primary == "en") return ex.use_language(std::string(primary));
    if (end == std::string_view::npos) return;
    ui_locales.remove_prefix(end + 1);
  }
}

http::Response refuse(Exchange& ex, const char* message_key, const std::string& why) {
  spdlog::info("oidc: logout request refused from {}: {}", ex.client().ip, why);
  ex.services().metrics.count_oidc_logout("refused");
  return ex.error(400, message_key);
}

// Checks the request; an error page (never a redirect) when it cannot be
// trusted: an open redirect through our logout would be a phishing tool.
std::variant<LogoutRequest, http::Response> check(Exchange& ex, const Form& f, bool with_hint) {
  auto& svc = ex.services();
  LogoutRequest out;
  out.state = f.get("state").substr(0, 2048);
  std::string client_id = f.get("client_id");
  if (with_hint && !f.get("id_token_hint").empty()) {
    auto hint = oidc::verify_id_token_hint(f.get("id_token_hint"), *svc.key_ring,
                                           oidc::issuer_of(svc.config.server.public_url));
    if (!hint) return refuse(ex, "oidc_logout_error_hint", hint.error().detail);
    if (!client_id.empty() && client_id != hint->client_id)
      return refuse(ex, "oidc_logout_error_hint", "client_id differs from the hint's audience");
    client_id = hint->client_id;
    out.hint = std::move(*hint);
  }
  if (!client_id.empty()) {
    auto client = svc.clients ? svc.clients->find(client_id) : Result<oidc::Client>(fail(ErrorCode::NotFound));
    if (!client && client.error().code != ErrorCode::NotFound) return ex.failure(client.error());
    if (!client) return refuse(ex, "oidc_logout_error_client", "unknown client_id");
    out.client = std::move(*client);
  }
  if (auto& uri = f.get("post_logout_redirect_uri"); !uri.empty()) {
    if (!out.client) return refuse(ex, "oidc_logout_error_redirect", "post_logout_redirect_uri without a known client");
    auto& allowed = out.client->post_logout_redirect_uris;
    if (std::find(allowed.begin(), allowed.end(), uri) == allowed.end())
      return refuse(ex, "oidc_logout_error_redirect", "post_logout_redirect_uri not registered for the client");
    out.redirect = uri;
  }
  return out;
}

// Where the browser goes once signed out: back to the application with its
// state, or our own "you are signed out" page. The page is shown by a fresh
// GET when this response ended the session: this one still knows the
// member, and its header would say "signed in".
http::Response finish(Exchange& ex, const LogoutRequest& req, bool ended_here = false) {
  if (!req.redirect.empty()) {
    boost::urls::url back(req.redirect);  // registered, so a valid absolute URI
    if (!req.state.empty()) back.params().append({"state", req.state});
    return ex.redirect(std::string(back.buffer()));
  }
  if (ended_here) return ex.redirect("/logout?ui_locales=" + ex.lang());
  return ex.render("oidc_logout_done", {{"title", ex.t("oidc_logout_done_title")}});
}

// Ends this browser's session (and so, through SessionService, the other
// applications' sessions), audited with the application that asked.
void sign_out_here(Exchange& ex, const LogoutRequest& req, const char* kind) {
  auto& account = ex.account();
  if (!account) return;
  if (auto ended = ex.services().sessions.end(ex.session_token()); !ended)
    spdlog::error("oidc: logout could not end the session: {}", ended.error().detail);
  ex.services().audit.record("oidc.logout", account->id, account->id, ex.client(),
                             req.client ? "client " + req.client->client_id : "no client");
  ex.services().metrics.count_oidc_logout(kind);
  clear_session_cookie(ex);
}

http::Response rp_logout(Exchange& ex) {
  auto& svc = ex.services();
  if (!svc.config.oidc.enabled || !svc.key_ring) return ex.error(404);
  auto& f = parameters(ex);
  apply_ui_locales(ex, f.get("ui_locales"));
  auto checked = check(ex, f, true);
  if (auto* refusal = std::get_if<http::Response>(&checked)) return std::move(*refusal);
  auto& req = std::get<LogoutRequest>(checked);
  auto& account = ex.account();
  if (req.hint) {
    // The hint proves which member the application signed in; it signs out
    // at once only that member: this browser's session when it is theirs,
    // or the session the hint names (a cross-site POST carries no cookie).
    if (account && oidc::subject_of(svc.secrets, account->id) == req.hint->subject) {
      sign_out_here(ex, req, "rp_initiated");
      return finish(ex, req, true);
    }
    if (!account) {
      // Our signature binds the hint's sid to its sub: the session it names
      // is that member's, whoever presents the hint.
      auto ended = svc.sessions.end_by_sid(req.hint->sid);
      if (ended && *ended) {
        svc.audit.record("oidc.logout", (*ended)->account_id, (*ended)->account_id, ex.client(),
                         "client " + req.client->client_id + ", by sid");
        svc.metrics.count_oidc_logout("rp_initiated");
      }
      return finish(ex, req);
    }
    // Someone else is signed in here: ask, like without a hint.
  }
  if (!account) return finish(ex, req);
  boost::json::object d{{"title", ex.t("oidc_logout_confirm_title")},
                        {"heading", ex.t("oidc_logout_confirm_heading", {{"portal", svc.config.portal.name}})}};
  if (req.client) {
    d["app_line"] = ex.t("oidc_logout_confirm_app", {{"app", req.client->name}});
    d["client_id"] = req.client->client_id;
  }
  if (!req.redirect.empty()) d["post_logout_redirect_uri"] = req.redirect;
  if (!req.state.empty()) d["state"] = req.state;
  return ex.render("oidc_logout_confirm", std::move(d));
}

http::Response submit_logout_confirmation(Exchange& ex) {
  auto& svc = ex.services();
  if (!svc.config.oidc.enabled || !svc.key_ring) return ex.error(404);
  auto& f = *ex.form();
  // The same checks again: the hidden fields came back from the browser.
  auto checked = check(ex, f, false);
  if (auto* refusal = std::get_if<http::Response>(&checked)) return std::move(*refusal);
  auto& req = std::get<LogoutRequest>(checked);
  // Only "No" keeps the member signed in: a form sent without a button
  // (the Enter key, a script) means the page's first button, "Yes".
  if (f.get("choice") == "no") return ex.redirect(ex.account() ? "/mon-espace" : "/connexion");
  sign_out_here(ex, req, "confirmed");
  return finish(ex, req, ex.account().has_value());
}

}  // namespace

std::vector<Route> logout_routes() {
  return {
      {"GET", "/logout", rp_logout, Access::Anyone, http::Lane::Pages, Csrf::None},
      {"POST", "/logout", rp_logout, Access::Anyone, http::Lane::Pages, Csrf::None},
      {"POST", "/logout/confirmation", submit_logout_confirmation},
  };
}

}  // namespace portier::web
