#include "web/federation_pages.h"

#include "web/cookies.h"
#include "web/federation_account_pages.h"
#include "web/session_cookies.h"
#include "web/sign_in_finish.h"

namespace portier::web {

namespace {

namespace why = federation_refusal;

constexpr std::string_view kPrefix = "/federation/";
constexpr std::string_view kReturn = "/retour";

FederatedSignInService* federation(Exchange& ex) { return ex.services().federation; }

// "/federation/psc" and "/federation/psc/retour" name the provider "psc"
// (one route per configured provider: the router matches exact paths).
std::string provider_of(std::string_view path) {
  path.remove_prefix(std::min(path.size(), kPrefix.size()));
  if (path.size() > kReturn.size() && path.substr(path.size() - kReturn.size()) == kReturn)
    path.remove_suffix(kReturn.size());
  return std::string(path);
}

// What the member is told: never the relying party's reason (that is for
// the audit log), only what they can do about it.
std::string page_key(std::string_view reason) {
  for (auto k : {why::kFlow, why::kUnknownPerson, why::kAccountDisabled, why::kAccountInactive, why::kWrongAccount,
                 why::kLinkedElsewhere})
    if (reason == k) return std::string(reason);
  if (reason == "unavailable" || reason == "discovery" || reason == "token_exchange" || reason == "userinfo")
    return "unavailable";
  return "failed";
}

int status_for(std::string_view reason) {
  if (reason == "unavailable") return 503;
  if (reason == "discovery" || reason == "token_exchange" || reason == "userinfo") return 502;
  if (reason == why::kUnknownPerson || reason == why::kAccountDisabled || reason == why::kAccountInactive ||
      reason == why::kWrongAccount || reason == why::kLinkedElsewhere)
    return 403;
  if (reason == why::kUnknownProvider) return 404;
  return 400;
}

std::string label_of(Exchange& ex, std::string_view provider) {
  auto* p = federation(ex) ? federation(ex)->provider(provider) : nullptr;
  return p ? p->label : std::string(provider);
}

http::Response status_page(Exchange& ex, const std::string& key, const std::string& label, int status,
                           boost::json::object d = {}) {
  d["title"] = ex.t(key + "_title", {{"provider", label}});
  d["heading"] = d["title"];
  d["text"] = ex.t(key + "_text", {{"provider", label}});
  return ex.render("federation_status", std::move(d), status);
}

http::Response refused_page(Exchange& ex, std::string_view provider, std::string_view reason) {
  auto key = page_key(reason);
  boost::json::object d{{"refused", true}, {"reason", key}};
  d["assistance_link"] = key != why::kFlow && key != "unavailable";
  if (ex.services().federation && ex.services().federation->provider(provider) &&
      (key == why::kFlow || key == "failed" || key == "unavailable"))
    d["retry_url"] = std::string(kPrefix) + std::string(provider);
  auto label = label_of(ex, provider);
  d["retry_label"] = ex.t("federation_retry", {{"provider", label}});
  return status_page(ex, "federation_refused_" + key, label, status_for(reason), std::move(d));
}

void clear(Exchange& ex, const char* cookie) {
  if (!ex.cookie(cookie).empty()) ex.add_cookie(clear_cookie(cookie, ex.secure()));
}

// Where the member goes once the identity is linked (or not): the
// application's request in progress, else `fallback`.
std::string after_link(Exchange& ex, std::string_view fallback) {
  // A password session kept only for this link (security.strong_sign_in_roles):
  // the member now signs in through the provider itself.
  if (link_only_session(ex)) return kLinkedNowSignIn;
  if (ex.services().config.oidc.enabled && !ex.cookie(kAuthorizationCookie).empty()) return "/autorisation/reprise";
  return std::string(fallback);
}

// GET /federation/<id>: to the provider. begin() may fetch the discovery
// document (a network call): this route runs on the worker pool, never on
// an I/O thread.
http::Response start_federation(Exchange& ex) {
  auto* svc = federation(ex);
  auto provider = provider_of(ex.request().path);
  if (!svc || !svc->provider(provider)) return ex.error(404);
  const auto& public_url = ex.services().config.server.public_url;
  auto started = svc->start(provider, public_url + federation::redirect_path(provider), ex.client());
  if (!started) return ex.failure(started.error());
  if (auto* refused = std::get_if<FederationRefused>(&*started)) return refused_page(ex, provider, refused->reason);
  const auto& go = std::get<FederationStarted>(*started);
  // Lax: the answer comes back by a top-level navigation from the provider.
  // Only the flow's random token; the request itself stays server-side.
  ex.add_cookie(set_cookie(kFederationLoginCookie, go.flow_token,
                           CookieOptions{ex.secure(), svc->settings().login_lifetime, "Lax"}));
  return ex.redirect(go.url);
}

// GET /federation/<id>/retour: the provider's answer, judged once.
http::Response federation_return(Exchange& ex) {
  auto* svc = federation(ex);
  auto provider = provider_of(ex.request().path);
  if (!svc || !svc->provider(provider)) return ex.error(404);
  auto token = std::string(ex.cookie(kFederationLoginCookie));
  clear(ex, kFederationLoginCookie);
  std::map<std::string, std::string> answer;
  for (const auto& [k, v] : ex.query().fields()) answer.emplace(k, v);
  auto outcome = svc->finish(provider, token, answer, ex.client(), pending_request_wants_second_step(ex));
  if (!outcome) return ex.failure(outcome.error());
  if (auto* refused = std::get_if<FederationRefused>(&*outcome)) return refused_page(ex, provider, refused->reason);
  if (auto* done = std::get_if<SignedIn>(&*outcome)) return finish_sign_in(ex, *done, false);
  if (auto* second = std::get_if<SecondStepRequired>(&*outcome)) {
    // The second step's flow cookie is SameSite=Strict, and this request
    // came from the provider's site: a redirect would carry that cross-site
    // origin to /connexion/code, where the browser would withhold the
    // cookie. A page of ours that moves on by itself (meta refresh, with a
    // link) starts a same-site navigation instead.
    auto arrived = second_step_arrival(ex, second->flow_token);  // sends the code when there is one channel
    std::string next = "/connexion/code";
    for (const auto& [name, value] : arrived.headers)
      if (name == "Location" && !value.empty() && value.front() == '/') next = value;
    clear(ex, kFederationLoginCookie);  // (the discarded answer took the first clearing)
    set_flow_cookie(ex, second->flow_token, ex.services().config.security.sign_in_flow_lifetime);
    boost::json::object d{{"meta_refresh", next}, {"continue_url", next}, {"second_step", true}};
    return status_page(ex, "federation_second_step", label_of(ex, provider), 200, std::move(d));
  }
  if (auto* offered = std::get_if<FederationAccountOffered>(&*outcome)) return account_offered(ex, offered->offer_token);
  // First use: the member signs in to the account (a session already open
  // in this browser is not proof enough: it ends), then confirms.
  const auto& pending = std::get<FederationLinkPending>(*outcome);
  if (ex.account()) {
    (void)ex.services().sessions.end(ex.session_token());
    clear_session_cookie(ex);
  }
  ex.add_cookie(set_cookie(kFederationLinkCookie, pending.link_token,
                           CookieOptions{ex.secure(), svc->settings().link_lifetime, "Lax"}));
  auto label = label_of(ex, provider);
  boost::json::object d{{"first_use", true}};
  d["sign_in_label"] = ex.t("federation_first_use_action");
  return status_page(ex, "federation_first_use", label, 200, std::move(d));
}

http::Response expired_link(Exchange& ex) {
  return status_page(ex, "federation_link_expired", "", 410, {{"assistance_link", false}});
}

// GET /federation/liaison: the identity about to be linked, named.
http::Response show_federation_link(Exchange& ex) {
  auto* svc = federation(ex);
  if (!svc) return ex.error(404);
  auto pending = svc->pending_link(ex.cookie(kFederationLinkCookie));
  if (!pending) {
    clear(ex, kFederationLinkCookie);
    if (pending.error().code == ErrorCode::NotFound || pending.error().code == ErrorCode::Expired)
      return expired_link(ex);
    return ex.failure(pending.error());
  }
  boost::json::object d{{"title", ex.t("federation_link_title", {{"provider", pending->label}})},
                        {"provider_label", pending->label},
                        {"identity_name", pending->display_name},
                        {"account_name", ex.account()->display_name},
                        {"account_identifier", ex.account()->identifier}};
  d["text"] = ex.t("federation_link_text", {{"provider", pending->label}});
  d["confirm_label"] = ex.t("federation_link_confirm", {{"provider", pending->label}});
  return ex.render("federation_link", std::move(d));
}

// POST /federation/liaison: confirm (or give up).
http::Response submit_federation_link(Exchange& ex) {
  auto* svc = federation(ex);
  if (!svc) return ex.error(404);
  auto token = std::string(ex.cookie(kFederationLinkCookie));
  clear(ex, kFederationLinkCookie);
  if (ex.form()->get("action") != "confirm") return ex.redirect(after_link(ex, "/mon-espace"));
  auto pending = svc->pending_link(token);
  auto provider = pending ? pending->provider : std::string();
  auto outcome = svc->confirm_link(token, *ex.session(), ex.client());
  if (!outcome) {
    auto code = outcome.error().code;
    if (code == ErrorCode::NotFound || code == ErrorCode::Expired) return expired_link(ex);
    if (code == ErrorCode::FlowStateInvalid) return status_page(ex, "federation_link_sign_in_again", "", 403);
    return ex.failure(outcome.error());
  }
  if (auto* refused = std::get_if<FederationRefused>(&*outcome)) return refused_page(ex, provider, refused->reason);
  const auto& linked = std::get<FederatedLink>(*outcome);
  boost::json::object d{{"linked", true}, {"continue_url", after_link(ex, "/mon-espace?info=federation_linked")}};
  return status_page(ex, "federation_linked", label_of(ex, linked.provider), 200, std::move(d));
}

}  // namespace

void add_federation_entries(Exchange& ex, boost::json::object& data) {
  auto* svc = federation(ex);
  if (!svc) return;
  boost::json::array entries;
  for (const auto& p : svc->providers())
    entries.push_back(boost::json::object{{"url", std::string(kPrefix) + p.id},
                                          {"id", p.id},
                                          {"text", ex.t("federation_sign_in_with", {{"provider", p.label}})}});
  if (!entries.empty()) data["federation_entries"] = std::move(entries);
}

std::vector<Route> federation_routes(const Config& config) {
  std::vector<Route> routes;
  for (const auto& p : config.federation.providers) {
    routes.push_back({"GET", std::string(kPrefix) + p.id, start_federation});
    routes.push_back({"GET", std::string(kPrefix) + p.id + std::string(kReturn), federation_return});
  }
  routes.push_back({"GET", "/federation/liaison", show_federation_link, Access::Member});
  routes.push_back({"POST", "/federation/liaison", submit_federation_link, Access::Member});
  return routes;
}

}  // namespace portier::web
