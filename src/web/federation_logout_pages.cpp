#include "web/federation_logout_pages.h"

#include "federation/relying_party.h"
#include "web/cookies.h"

namespace portier::web {

namespace {

// The provider id in "/federation/<id>/deconnexion" (the route exists only
// for configured ids).
std::string provider_of(std::string_view path) {
  constexpr std::string_view prefix = "/federation/";
  auto rest = path.substr(prefix.size());
  return std::string(rest.substr(0, rest.find('/')));
}

http::Response federation_logout_return(Exchange& ex) {
  auto& svc = ex.services();
  auto id = provider_of(ex.request().path);
  const auto* provider = svc.config.federation.find(id);
  auto cookie = std::string(ex.cookie(kFederationLogoutCookie));
  bool ended = svc.federation_logout && svc.federation_logout->finish(id, ex.query().get("state"), cookie, ex.client());
  if (!cookie.empty()) ex.add_cookie(clear_cookie(kFederationLogoutCookie, ex.secure()));
  std::string label = provider && !provider->label.empty() ? provider->label : id;
  auto key = std::string(ended ? "federation_logout_done" : "federation_logout_open");
  boost::json::object d{{"title", ex.t(key + "_title")},
                        {"heading", ex.t(key + "_title")},
                        {"text", ex.t(key + "_text", {{"portal", svc.config.portal.name}, {"provider", label}})},
                        {"ended", ended}};
  return ex.render("federation_logout", std::move(d));
}

}  // namespace

http::Response after_sign_out(Exchange& ex, const FederatedLogoutStart& at_provider) {
  if (const auto* go = std::get_if<FederatedLogoutRedirect>(&at_provider)) {
    auto max_age = std::chrono::duration_cast<std::chrono::seconds>(FederatedLogoutService::kReturnLifetime);
    ex.add_cookie(set_cookie(kFederationLogoutCookie, go->state, CookieOptions{ex.secure(), max_age, "Lax"}));
    // Not a 303: after the sign-out form, browsers apply its page's
    // `form-action 'self'` to the whole redirect chain and would stop at the
    // provider. A page that moves on by itself (meta refresh, no script)
    // starts a new navigation, with a link for a browser that does not.
    const auto* provider = ex.services().config.federation.find(go->provider);
    std::string label = provider && !provider->label.empty() ? provider->label : go->provider;
    boost::json::object d{{"title", ex.t("federation_logout_continue_title", {{"provider", label}})},
                          {"heading", ex.t("federation_logout_continue_title", {{"provider", label}})},
                          {"text", ex.t("federation_logout_continue_text", {{"provider", label}})},
                          {"continue_url", go->url},
                          {"continue_label", ex.t("federation_logout_continue_link", {{"provider", label}})},
                          {"meta_refresh", go->url}};
    return ex.render("federation_logout", std::move(d));
  }
  // Signed out of portier; the page says the provider's session may be open.
  if (const auto* open = std::get_if<FederatedLogoutUnavailable>(&at_provider))
    return ex.redirect(federation::post_logout_path(open->provider));
  return ex.redirect("/connexion?info=signed_out");
}

std::vector<Route> federation_logout_routes(const WebServices& services) {
  std::vector<Route> routes;
  // Csrf::None: the provider's redirect carries no form; the state is the check.
  for (const auto& p : services.config.federation.providers)
    routes.push_back({"GET", federation::post_logout_path(p.id), federation_logout_return, Access::Anyone,
                      http::Lane::Pages, Csrf::None});
  return routes;
}

}  // namespace portier::web
