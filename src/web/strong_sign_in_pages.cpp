#include "web/strong_sign_in_pages.h"

#include <boost/json/array.hpp>

#include "oidc/authentication_context.h"
#include "session/strong_sign_in_policy.h"
#include "web/cookies.h"
#include "web/oidc_pages.h"
#include "web/session_cookies.h"
#include "web/sign_in_finish.h"

namespace portier::web {

namespace {

constexpr const char* kPage = "/connexion/carte-ou-psc";

struct Way {
  std::string testid;
  std::string href;
  std::string label;
  std::string hint;
};

// Pro Santé Connect first (it needs no reader), then the card read here.
std::vector<Way> ways(Exchange& ex) {
  const auto& c = ex.services().config;
  std::vector<Way> out;
  for (const auto& id : c.health_card_providers()) {
    const auto* p = c.federation.find(id);
    std::string label = p && !p->label.empty() ? p->label : "Pro Santé Connect";
    out.push_back({"strong-way-" + id, "/federation/" + id, ex.t("strong_way_federation", {{"label", label}}),
                   ex.t("strong_way_federation_hint")});
  }
  if (c.card.enabled)
    out.push_back({"strong-way-card", c.card_url() + "/carte-cps", ex.t("strong_way_card"), ex.t("strong_way_card_hint")});
  return out;
}

const char* word(StrongReason why) {
  switch (why) {
    case StrongReason::Application: return "application";
    case StrongReason::Role: return "role";
    case StrongReason::Linked: return "liee";
  }
  return "application";
}

StrongReason reason_of(std::string_view w) {
  if (w == "role") return StrongReason::Role;
  if (w == "liee") return StrongReason::Linked;
  return StrongReason::Application;
}

// A password session kept only to confirm a link (StrongSignInPolicy
// LinkOnly) is of no use once the member is here without a link waiting:
// it ends, so that nothing but the card or PSC signs this browser in.
void end_link_only_session(Exchange& ex) {
  if (link_waiting(ex)) return;
  auto token = ex.cookie(kSessionCookie);
  if (token.empty()) return;
  auto& svc = ex.services();
  auto session = svc.sessions.resume(token);
  if (!session) return;
  auto account = svc.accounts.find_by_id(session->account_id);
  if (!account) return;
  if (StrongSignInPolicy(svc.config.security.strong_sign_in_roles).allows(account->role, session->auth_methods, "/mon-espace"))
    return;
  (void)svc.sessions.end(token);
  clear_session_cookie(ex);
}

http::Response show(Exchange& ex) {
  auto why = reason_of(ex.query().get("raison"));
  end_link_only_session(ex);
  return strong_sign_in_page(ex, why);
}

}  // namespace

std::string strong_sign_in_location(Exchange& ex, StrongReason why) {
  auto w = ways(ex);
  if (w.empty()) return {};
  if (w.size() == 1 && why == StrongReason::Application) return w.front().href;
  return std::string(kPage) + "?raison=" + word(why);
}

http::Response strong_sign_in_page(Exchange& ex, StrongReason why, int status) {
  auto pending = pending_authorization(ex);
  boost::json::array list;
  for (auto& w : ways(ex))
    list.push_back(boost::json::object{{"testid", w.testid}, {"href", w.href}, {"label", w.label}, {"hint", w.hint}});
  boost::json::object d;
  std::string key = std::string("strong_") + word(why);
  d["title"] = ex.t(key + "_title");
  d["heading"] = ex.t(key + "_title");
  if (why == StrongReason::Application && pending)
    d["text"] = ex.t("strong_application_text_named", {{"client", pending->client_name}});
  else
    d["text"] = ex.t(key + "_text");
  d["reason"] = word(why);
  d["ways"] = std::move(list);
  d["no_way"] = d["ways"].as_array().empty();
  // acr_values are voluntary (Core 5.5.1.1): the member may go on with the
  // password, and the ID token will say so. Not when the application's
  // minimum or the operator's policy demands the card.
  d["password_way"] = why == StrongReason::Application && !(pending && pending->requires_card);
  return ex.render("strong_sign_in", std::move(d), status);
}

std::vector<Route> strong_sign_in_routes() { return {{"GET", kPage, show}}; }

}  // namespace portier::web
