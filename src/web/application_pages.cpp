// Mon espace "Applications": which applications the member let sign them
// in, what each may know, when it last did, and withdrawing that access
// (the consent goes, and what was issued to the application is revoked).
#include "oidc/authorization_service.h"
#include "oidc/token_service.h"
#include "web/oidc_pages.h"
#include "web/pages.h"

namespace portier::web {

void add_applications(Exchange& ex, const Account& account, boost::json::object& d) {
  auto* authz = ex.services().authorization;
  if (!ex.services().config.oidc.enabled || !authz) return;
  d["oidc_enabled"] = true;
  auto list = authz->applications(account.id);
  if (!list) return;  // the page still shows; the fold says nothing is used
  boost::json::array rows;
  for (const auto& c : *list) {
    std::string shared;
    for (const auto& s : c.scopes) {
      if (!oidc::needs_consent_line(s)) continue;
      if (!shared.empty()) shared += ", ";
      shared += ex.t("oidc_scope_" + s);
    }
    if (shared.empty()) shared = ex.t("oidc_consent_identity_only");
    rows.push_back(boost::json::object{{"client_id", c.client_id},
                                       {"name", c.client_name},
                                       {"shared", shared},
                                       {"last_used", ex.format_time(c.last_used_at)}});
  }
  d["has_applications"] = !rows.empty();
  d["summary_applications"] = ex.tn("espace_applications_count", static_cast<long long>(rows.size()));
  d["applications"] = std::move(rows);
}

http::Response submit_application_withdraw(Exchange& ex) {
  auto* authz = ex.services().authorization;
  if (!ex.services().config.oidc.enabled || !authz) return ex.error(404);
  const auto& account = *ex.account();
  const auto& client_id = ex.form()->get("client_id");
  auto withdrawn = authz->withdraw(account.id, client_id);
  if (!withdrawn) return ex.failure(withdrawn.error());
  // What was issued to it ends with the consent (the token side).
  if (auto* tokens = ex.services().oidc_tokens)
    if (auto revoked = tokens->revoke_for(account.id, client_id); !revoked) return ex.failure(revoked.error());
  if (*withdrawn)
    ex.services().audit.record("oidc.consent_revoked", account.id, account.id, ex.client(), client_id.substr(0, 100));
  return ex.redirect("/mon-espace?info=application_withdrawn#applications");
}

std::vector<Route> application_routes() {
  return {
      {"POST", "/mon-espace/applications/retirer", submit_application_withdraw, Access::Member},
  };
}

}  // namespace portier::web
