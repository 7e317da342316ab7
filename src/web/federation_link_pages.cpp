#include "web/federation_link_pages.h"

#include <algorithm>

#include <boost/json/array.hpp>

#include "web/console_access.h"
#include "web/console_actions.h"
#include "web/form_errors.h"
#include "web/session_cookies.h"

namespace portier::web {

namespace {

// The service, when at least one provider is configured: the sections and
// routes exist only then.
FederatedSignInService* federation_of(Exchange& ex) {
  auto* f = ex.services().federation;
  return f && !f->providers().empty() ? f : nullptr;
}

// The provider's name on the pages: its label, else its id (an "oidc"
// provider without one, or one removed from the configuration since).
std::string label_of(FederatedSignInService& f, std::string_view provider) {
  const auto* p = f.provider(provider);
  return p && !p->label.empty() ? p->label : std::string(provider);
}

boost::json::object link_row(Exchange& ex, FederatedSignInService& f, const FederatedLink& l) {
  return boost::json::object{{"provider", l.provider},
                             {"label", label_of(f, l.provider)},
                             {"name", l.display_name.empty() ? l.person_id : l.display_name},
                             {"linked", ex.format_time(l.linked_at)},
                             {"last_used", l.last_used_at ? ex.format_time(*l.last_used_at) : ex.t("federation_never_used")}};
}

boost::json::array link_rows(Exchange& ex, FederatedSignInService& f, const std::vector<FederatedLink>& list) {
  boost::json::array rows;
  for (const auto& l : list) rows.push_back(link_row(ex, f, l));
  return rows;
}

// "« Se connecter avec Pro Santé Connect » ou « … »": the buttons the sign-in page shows.
std::string buttons_text(Exchange& ex, FederatedSignInService& f) {
  std::string out;
  for (const auto& p : f.providers()) {
    if (!out.empty()) out += ex.t("espace_federation_or");
    auto button = ex.t("federation_sign_in_with", {{"provider", p.label.empty() ? p.id : p.label}});
    out += ex.t("espace_federation_button", {{"label", button}});
  }
  return out;
}

http::Response unlink_page(Exchange& ex, FederatedSignInService& f, const FederatedLink& l, const FieldErrors& errors) {
  auto d = link_row(ex, f, l);
  if (!errors.empty()) add_field_errors(ex, d, errors, {"current_password"});
  d["title"] = (errors.empty() ? "" : ex.t("error_prefix") + " ") + ex.t("federation_unlink_title");
  return ex.render("federation_unlink", std::move(d), errors.empty() ? 200 : 422);
}

// POST /mon-espace/identite/retirer: first the confirmation page, then (confirm=1) the password.
http::Response submit_federation_unlink(Exchange& ex) {
  auto* f = federation_of(ex);
  if (!f) return ex.error(404);
  auto& a = ex.account();  // Access::Member: signed in
  auto& form = *ex.form();
  auto list = f->links_of(a->id);
  if (!list) return ex.failure(list.error());
  auto it = std::find_if(list->begin(), list->end(),
                         [&](const FederatedLink& l) { return l.provider == form.get("provider"); });
  // Gone already (another tab): the same confirmation, nothing to ask.
  if (it == list->end()) return ex.redirect("/mon-espace?info=federation_unlinked#identites");
  if (form.get("confirm") != "1") return unlink_page(ex, *f, *it, {});
  auto checked = ex.services().reauth->check(*a, {form.get("current_password")}, ReauthFactor::PasswordOnly,
                                             "federation.unlink", ex.client());
  if (!checked) return ex.failure(checked.error());
  if (std::holds_alternative<ReauthLockedOut>(*checked)) return signed_out_by_reauth(ex);
  if (auto* refused = std::get_if<ReauthRefused>(&*checked))
    return unlink_page(ex, *f, *it, {{"current_password", refused->password_problem}});
  auto removed = f->unlink(a->id, it->provider, a->id, ex.client());
  if (!removed) return ex.failure(removed.error());
  return renewed_redirect(ex, "/mon-espace?info=federation_unlinked#identites");
}

// POST /support/compte/identite: an administrator removes a member's link
// (an identity the member does not recognise, a shared workstation) with a
// reason and their password; audited federation.unlinked, the member told.
http::Response submit_console_federation_unlink(Exchange& ex) {
  auto* f = federation_of(ex);
  if (!f) return ex.error(404);
  const auto* target = ex.target();  // Access::AdminOnAccount: the rank rule passed
  if (!target) return ex.error(403);
  const Agent& agent = ex.agent();
  auto provider = std::string(ex.form()->get("provider"));
  if (provider.empty()) {
    Result<SupportOutcome> missing = SupportOutcome{Invalid{{{"provider", "required"}}}};
    return console_action_done(ex, agent, target->id(), "federation_unlink", missing, "federation_unlinked");
  }
  auto outcome = support(ex).remove_link(*target, agent, console_confirmation(ex), "federation_unlink",
                                         [&](std::string_view reason) {
                                           return f->unlink(target->id(), provider, agent.account.id, agent.client,
                                                            reason);
                                         });
  return console_action_done(ex, agent, target->id(), "federation_unlink", outcome, "federation_unlinked");
}

}  // namespace

void add_federated_links(Exchange& ex, const Account& account, boost::json::object& d) {
  auto* f = federation_of(ex);
  if (!f) return;
  d["federation_enabled"] = true;
  auto list = f->links_of(account.id);
  if (!list) return;
  d["federated_links"] = link_rows(ex, *f, *list);
  d["has_federated_links"] = !list->empty();
  if (list->empty()) d["federation_how"] = ex.t("espace_federation_how", {{"buttons", buttons_text(ex, *f)}});
  d["summary_federation"] = list->empty() ? ex.t("espace_federation_none_short")
                                          : ex.tn("espace_federation_count", static_cast<long long>(list->size()),
                                                  {{"count", std::to_string(list->size())}});
}

void add_console_federated_links(Exchange& ex, const Account& account, boost::json::object& d) {
  auto* f = federation_of(ex);
  if (!f) return;
  d["federation_enabled"] = true;
  if (auto list = f->links_of(account.id)) {
    d["federated_links"] = link_rows(ex, *f, *list);
    d["has_federated_links"] = !list->empty();
  }
}

std::vector<Route> federation_link_routes() {
  return {
      {"POST", "/mon-espace/identite/retirer", submit_federation_unlink, Access::Member, http::Lane::Hashing},
      {"POST", "/support/compte/identite", submit_console_federation_unlink, Access::AdminOnAccount,
       http::Lane::Hashing},
  };
}

}  // namespace portier::web
