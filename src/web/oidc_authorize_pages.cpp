// The authorization endpoint (/authorize) and the pages around it: the
// request kept while the member signs in (web/sign_in_finish.h brings them
// back to /autorisation/reprise), the consent page, and the answer to the
// application (a redirect, or an auto-submitted form for form_post).
// Decisions are oidc::AuthorizationService's; this file is HTTP only.
#include <spdlog/spdlog.h>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

#include "oidc/authentication_context.h"
#include "oidc/authorization_service.h"
#include "oidc/logout_service.h"
#include "web/cookies.h"
#include "web/oidc_pages.h"
#include "web/pages.h"
#include "web/sign_in_finish.h"
#include "web/strong_sign_in_pages.h"

namespace portier::web {

namespace {

using oidc::AuthorizationRequest;
using oidc::ResponseMode;

bool available(Exchange& ex) {
  auto& s = ex.services();
  return s.config.oidc.enabled && s.authorization && s.code_issuer;
}

oidc::Parameters parameters(Exchange& ex) {
  oidc::Parameters out;
  if (ex.request().method == "POST") {
    if (ex.form())
      for (const auto& f : ex.form()->fields()) out.push_back(f);
  } else {
    for (const auto& f : ex.query().fields()) out.push_back(f);
  }
  return out;
}

// The answer to the application: `fields` (code or error, state, iss) sent
// to redirect_uri by the request's response mode.
http::Response answer(Exchange& ex, const std::string& redirect_uri, ResponseMode mode,
                      std::vector<std::pair<std::string, std::string>> fields) {
  ex.add_cookie(clear_cookie(kAuthorizationCookie, ex.secure()));
  if (mode == ResponseMode::FormPost) {
    boost::json::array inputs;
    for (auto& [k, v] : fields) inputs.push_back(boost::json::object{{"name", k}, {"value", v}});
    boost::json::object data{{"title", ex.t("oidc_form_post_title")}, {"action", redirect_uri}, {"fields", inputs}};
    auto r = ex.render("oidc_form_post", std::move(data));
    // The form goes to the application's origin: the page's policy allows
    // exactly that one target, and still no script but our own.
    boost::urls::url target(redirect_uri);
    std::string origin = std::string(target.scheme()) + "://" + std::string(target.encoded_host_and_port());
    r.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action " +
                     origin + "; frame-ancestors 'none'; base-uri 'none'");
    return r;
  }
  boost::urls::url target(redirect_uri);
  auto params = target.params();
  for (auto& [k, v] : fields) params.append({k, v});
  std::string location(target.buffer());
  // Straight from /authorize a redirect is all it takes. After one of our
  // own forms (sign-in, second step, consent: /autorisation/reprise is
  // reached by a redirect from them) browsers apply that form page's
  // `form-action 'self'` to the whole redirect chain and would stop at the
  // application's origin: a page that moves on by itself (meta refresh, no
  // script) starts a new navigation instead, with a link for the rare
  // browser that does not.
  if (ex.request().path == "/authorize") return ex.redirect(location);
  boost::json::object data{{"title", ex.t("oidc_form_post_title")}, {"location", location}, {"meta_refresh", location}};
  return ex.render("oidc_continue", std::move(data));
}

http::Response error_answer(Exchange& ex, const oidc::RedirectableError& e) {
  ex.services().audit.record("oidc.authorization_refused", std::nullopt, std::nullopt, ex.client(),
                             e.error + ": " + e.description.substr(0, 200));
  std::vector<std::pair<std::string, std::string>> fields{{"error", e.error}};
  if (!e.description.empty()) fields.emplace_back("error_description", e.description);
  if (!e.state.empty()) fields.emplace_back("state", e.state);
  fields.emplace_back("iss", ex.services().authorization->issuer());
  return answer(ex, e.redirect_uri, e.response_mode, std::move(fields));
}

// The client or its redirect_uri cannot be trusted: our own page, no redirect.
http::Response untrusted(Exchange& ex, const oidc::UntrustedRequest& u) {
  if (u.reason == "unavailable") return ex.error(503);
  spdlog::warn("authorization request refused from {}: {}", ex.client().ip, u.reason);
  ex.services().audit.record("oidc.authorization_refused", std::nullopt, std::nullopt, ex.client(), u.reason);
  boost::json::object data{{"title", ex.t("oidc_untrusted_title")},
                           {"reason", ex.t("oidc_untrusted_" + u.reason)},
                           {"code", u.reason}};
  return ex.render("oidc_untrusted", std::move(data), 400);
}

http::Response issue(Exchange& ex, const oidc::CodeGrant& grant, const AuthorizationRequest& r) {
  auto code = ex.services().code_issuer->issue_code(grant);
  if (!code) return ex.failure(code.error());
  // The session now has this application: its logout reaches it too.
  if (auto* logout = ex.services().logout)
    if (auto used = logout->record_use(grant.sid, grant.account_id, grant.client_id); !used)
      spdlog::error("recording that session {}… used {}: {}", grant.sid.substr(0, 6), grant.client_id, used.error().detail);
  ex.services().audit.record("oidc.authorized", grant.account_id, grant.account_id, ex.client(), r.client_id);
  std::vector<std::pair<std::string, std::string>> fields{{"code", *code}};
  if (!r.state.empty()) fields.emplace_back("state", r.state);
  fields.emplace_back("iss", ex.services().authorization->issuer());
  return answer(ex, r.redirect_uri, r.response_mode, std::move(fields));
}

void follow_ui_locales(Exchange& ex, const AuthorizationRequest& r) {
  for (const auto& l : r.ui_locales) {
    auto lang = l.substr(0, 2);
    if (lang == "fr" || lang == "en") {
      ex.add_cookie(set_cookie("portier_lang", lang, CookieOptions{ex.secure(), std::chrono::hours(24 * 365)}));
      return;
    }
  }
}

// Acts on a decision; `token` names the kept request, if it was kept.
http::Response act(Exchange& ex, const AuthorizationRequest& r, const oidc::Decision& d, const std::string& token) {
  auto& authz = *ex.services().authorization;
  if (auto* e = std::get_if<oidc::RedirectableError>(&d)) {
    authz.forget(token);
    return error_answer(ex, *e);
  }
  if (auto* i = std::get_if<oidc::IssueCode>(&d)) {
    authz.forget(token);
    return issue(ex, i->grant, r);
  }
  bool strong = std::holds_alternative<oidc::NeedsStrongSignIn>(d);
  bool sign_in = strong || std::holds_alternative<oidc::NeedsSignIn>(d);
  std::string kept = token;
  if (kept.empty() || sign_in) {
    // A new sign-in is asked for: the request is kept anew so that only a
    // session opened from now on answers it.
    authz.forget(token);
    const Session* s = ex.account() ? ex.session() : nullptr;
    auto made = authz.keep(r, sign_in, s ? std::string_view(s->sid) : std::string_view());
    if (!made) return ex.failure(made.error());
    kept = *made;
    ex.add_cookie(set_cookie(kAuthorizationCookie, kept,
                             CookieOptions{ex.secure(), oidc::AuthorizationService::kPendingLifetime, "Lax"}));
  }
  if (strong) {
    // The card or Pro Santé Connect (decide() asks it only when one is
    // configured); their sign-ins end in finish_sign_in, then here again.
    ex.services().audit.record("oidc.strong_sign_in_asked", std::nullopt, std::nullopt, ex.client(),
                               r.client_id + (std::get<oidc::NeedsStrongSignIn>(d).required ? " minimum_acr" : " acr_values"));
    auto where = strong_sign_in_location(ex, StrongReason::Application);
    if (!where.empty()) return ex.redirect(where);
  }
  return ex.redirect(sign_in ? "/connexion" : "/autorisation/consentement");
}

}  // namespace

std::optional<PendingView> pending_authorization(Exchange& ex) {
  if (!available(ex)) return std::nullopt;
  auto token = ex.cookie(kAuthorizationCookie);
  if (token.empty()) return std::nullopt;
  auto p = ex.services().authorization->pending(token);
  if (!p) return std::nullopt;
  auto client = ex.services().authorization->client(p->request.client_id);
  if (!client) return std::nullopt;
  PendingView v;
  v.client_name = client->name;
  v.login_hint = p->request.login_hint;
  const Session* s = ex.account() ? ex.session() : nullptr;
  v.needs_sign_in = p->sign_in_required && (!s || !p->answered_by(*s));
  v.requires_card = client->minimum_acr == oidc::kAcrHealthCard;
  return v;
}

http::Response authorize(Exchange& ex) {
  if (!available(ex)) return ex.error(404);
  auto read = ex.services().authorization->read(parameters(ex));
  if (auto* u = std::get_if<oidc::UntrustedRequest>(&read)) return untrusted(ex, *u);
  if (auto* e = std::get_if<oidc::RedirectableError>(&read)) return error_answer(ex, *e);
  auto& r = std::get<AuthorizationRequest>(read);
  follow_ui_locales(ex, r);
  const Session* session = ex.account() ? ex.session() : nullptr;
  if (ex.database_unavailable()) return ex.error(503);
  auto decision = ex.services().authorization->decide(r, session, nullptr);
  if (!decision) return ex.failure(decision.error());
  // Any request kept before by this browser is superseded by this one.
  auto old = std::string(ex.cookie(kAuthorizationCookie));
  if (!old.empty()) ex.services().authorization->forget(old);
  return act(ex, r, *decision, {});
}

namespace {

// The request this browser keeps, for a signed-in member; otherwise the
// answer to send instead: the request was answered in another tab or is too
// old (its cookie is cleared, the member goes on to Mon espace or the
// sign-in), nobody is signed in (the sign-in), or the store failed.
struct Resumed {
  std::string token;
  oidc::PendingAuthorization pending;
};
std::variant<Resumed, http::Response> resumed(Exchange& ex) {
  if (!available(ex)) return ex.error(404);
  auto token = std::string(ex.cookie(kAuthorizationCookie));
  auto p = ex.services().authorization->pending(token);
  if (!p) {
    if (!token.empty()) ex.add_cookie(clear_cookie(kAuthorizationCookie, ex.secure()));
    if (p.error().code != ErrorCode::NotFound && p.error().code != ErrorCode::Expired) return ex.failure(p.error());
    return ex.redirect(ex.account() ? "/mon-espace" : "/connexion");
  }
  if (!ex.account()) return ex.redirect("/connexion");
  return Resumed{std::move(token), std::move(*p)};
}

}  // namespace

http::Response resume_authorization(Exchange& ex) {
  auto r = resumed(ex);
  if (auto* answer = std::get_if<http::Response>(&r)) return std::move(*answer);
  auto& [token, p] = std::get<Resumed>(r);
  auto decision = ex.services().authorization->decide(p.request, ex.session(), &p);
  if (!decision) return ex.failure(decision.error());
  return act(ex, p.request, *decision, token);
}

http::Response show_consent(Exchange& ex) {
  auto r = resumed(ex);
  if (auto* answer = std::get_if<http::Response>(&r)) return std::move(*answer);
  const auto& request = std::get<Resumed>(r).pending.request;
  auto client = ex.services().authorization->client(request.client_id);
  if (!client) return ex.failure(client.error());
  boost::json::array lines;
  for (const auto& s : request.scopes)
    if (oidc::needs_consent_line(s)) lines.push_back(boost::json::string(ex.t("oidc_scope_" + s)));
  boost::json::object data{{"title", ex.t("oidc_consent_title", {{"client", client->name}})},
                           {"client_name", client->name},
                           {"scopes", lines},
                           {"has_scopes", !lines.empty()},
                           {"signed_in_as", ex.t("oidc_consent_signed_in_as", {{"name", ex.account()->display_name}})}};
  return ex.render("oidc_consent", std::move(data));
}

http::Response submit_consent(Exchange& ex) {
  auto resumed_or = resumed(ex);
  if (auto* answer = std::get_if<http::Response>(&resumed_or)) return std::move(*answer);
  auto& [token, p] = std::get<Resumed>(resumed_or);
  auto& authz = *ex.services().authorization;
  const auto& r = p.request;
  if (ex.form()->get("decision") != "allow") {
    authz.forget(token);
    ex.services().audit.record("oidc.consent_refused", ex.account()->id, ex.account()->id, ex.client(), r.client_id);
    return error_answer(ex, oidc::RedirectableError{r.redirect_uri, r.response_mode, r.state, "access_denied",
                                                    "the member refused"});
  }
  if (auto c = authz.record_consent(ex.account()->id, r); !c) return ex.failure(c.error());
  ex.services().audit.record("oidc.consent_given", ex.account()->id, ex.account()->id, ex.client(), r.client_id);
  auto grant = authz.grant_for(r, *ex.session());
  if (!grant) return ex.failure(grant.error());
  authz.forget(token);
  return issue(ex, *grant, r);
}

std::vector<Route> authorization_routes() {
  // The entry is called by applications (a GET redirect or a cross-site
  // POST of their form): no CSRF token exists there, and none is needed,
  // as nothing changes until the member acts on our own pages.
  return {
      {"GET", "/authorize", authorize, Access::Anyone, http::Lane::Pages, Csrf::None},
      {"POST", "/authorize", authorize, Access::Anyone, http::Lane::Pages, Csrf::None},
      {"GET", "/autorisation/reprise", resume_authorization},
      {"GET", "/autorisation/consentement", show_consent},
      {"POST", "/autorisation/consentement", submit_consent},
  };
}

}  // namespace portier::web
