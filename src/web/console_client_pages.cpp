// The console's registered applications, for administrators
// (/support/applications): the list, the add form, an application's
// details, the edit form, a new secret, removal with a confirmation step.
// Everything goes through ClientAdminService (admin/client_admin_service.h):
// the same rules, secrets and audit events as `portier client …`. A secret
// appears once, on the page that answers the POST which made it (no-store,
// like every answer), and never again. Adding, editing, rotating and
// removing ask for the agent's password once per confirmation period, as
// the account actions do. The add form covers the common case (name, URIs,
// public, trusted); the edit form adds the options `portier client update`
// changes but the kind (web/console_client_form.h says why), which stays on
// the command line (docs/oidc.md).
#include <algorithm>
#include <boost/json/array.hpp>

#include "oidc/client_secret.h"
#include "web/console_access.h"
#include "web/console_client_form.h"
#include "web/pages.h"
#include "web/route.h"
#include "web/session_cookies.h"

namespace portier::web {

namespace {

ClientAdminService* client_admin(Exchange& ex) { return ex.services().client_admin; }

boost::json::array list_of(const std::vector<std::string>& items) {
  boost::json::array a;
  for (auto& i : items) a.push_back(boost::json::object{{"text", i}});
  return a;
}

std::string type_label(Exchange& ex, const oidc::Client& c) {
  return ex.t(c.is_public ? "clients_type_public" : "clients_type_confidential");
}

// "Mot de passe confirmé jusqu’à 14 h 30" or the field to type it in.
void add_confirmation(Exchange& ex, boost::json::object& d) {
  if (auto until = support(ex).confirmed_until(ex.agent())) {
    d["password_confirmed"] = true;
    d["confirmed_until"] = ex.t("console_confirmed_until", {{"until", ex.format_time(*until)}});
  }
}

// The agent's password when the confirmation period is over: nothing when
// confirmed (now or earlier); otherwise the message for the field, or the
// response (signed out after too many wrong passwords, a failure).
std::optional<std::string> confirm_agent(Exchange& ex, std::optional<http::Response>& stop) {
  const Agent& agent = ex.agent();
  if (support(ex).confirmed_until(agent)) return std::nullopt;
  auto confirmed = support(ex).confirm(agent, ex.form()->get("agent_password"));
  if (!confirmed) {
    stop = ex.failure(confirmed.error());
    return std::nullopt;
  }
  if (std::holds_alternative<ReauthLockedOut>(*confirmed)) {
    stop = signed_out_by_reauth(ex);
    return std::nullopt;
  }
  if (auto* invalid = std::get_if<Invalid>(&*confirmed)) return ex.t("problem_" + invalid->errors["agent_password"]);
  return std::nullopt;
}

void add_password_error(Exchange& ex, boost::json::object& d, const std::string& message, const char* prefix) {
  d["agent_password_error"] = message;
  d["has_errors"] = true;
  auto& summary = d["console_errors"].emplace_array();
  summary.push_back(boost::json::object{{"id", std::string(prefix) + "-agent_password"},
                                        {"label", ex.t("console_field_agent_password")},
                                        {"message", message}});
}

http::Response secret_page(Exchange& ex, const ClientSaved& saved, bool added) {
  boost::json::object d;
  d["title"] = ex.t(added ? "clients_added_title" : "clients_rotated_title");
  d["added"] = added;
  d["name"] = saved.client.name;
  d["client_id"] = saved.client.client_id;
  d["has_secret"] = !saved.secret.empty();
  d["secret"] = saved.secret;
  return ex.render("console_client_secret", std::move(d));
}

// The client named by ?id= (GET) or the form's id (POST).
Result<oidc::Client> named_client(Exchange& ex) {
  const auto& id = ex.request().method == "POST" && ex.form() ? ex.form()->get("id") : ex.query().get("id");
  if (id.empty() || id.size() > 100) return fail(ErrorCode::NotFound, "no client");
  return client_admin(ex)->find(id);
}

boost::json::object details(Exchange& ex, const oidc::Client& c) {
  boost::json::object d;
  d["title"] = c.name + " – " + ex.t("clients_title");
  d["name"] = c.name;
  d["client_id"] = c.client_id;
  d["type"] = type_label(ex, c);
  d["trusted"] = ex.t(c.trusted ? "clients_trusted_yes" : "clients_trusted_no");
  d["auth_method"] = std::string(oidc::to_string(c.auth_method));
  d["redirect_uris"] = list_of(c.redirect_uris);
  d["has_redirect_uris"] = !c.redirect_uris.empty();
  d["post_logout_redirect_uris"] = list_of(c.post_logout_redirect_uris);
  d["has_post_logout_redirect_uris"] = !c.post_logout_redirect_uris.empty();
  d["backchannel_logout_uri"] = c.backchannel_logout_uri;
  d["has_backchannel"] = !c.backchannel_logout_uri.empty();
  d["grant_types"] = text_of(c.grant_types);
  d["scopes"] = text_of(c.scopes);
  d["pkce"] = ex.t(c.require_pkce ? "clients_pkce_required" : "clients_pkce_optional");
  d["id_token_alg"] = c.id_token_alg;
  d["access_token_format"] = std::string(oidc::to_string(c.access_token_format));
  d["id_token_claims"] = text_of(c.id_token_claims);
  d["has_id_token_claims"] = !c.id_token_claims.empty();
  d["access_token_audience"] = c.access_token_audience;
  d["has_audience"] = !c.access_token_audience.empty();
  d["minimum_acr_label"] = ex.t(c.minimum_acr.empty() ? std::string("clients_minimum_acr_none")
                                                      : "clients_minimum_acr_" + c.minimum_acr.substr(c.minimum_acr.rfind(':') + 1));
  d["created"] = ex.format_time(c.created_at);
  d["updated"] = ex.format_time(c.updated_at);
  if (c.secret_rotated_at) d["secret_made"] = ex.format_time(*c.secret_rotated_at);
  d["uses_secret"] = oidc::uses_secret(c);
  add_confirmation(ex, d);
  return d;
}

http::Response show_clients(Exchange& ex) {
  auto* admin = client_admin(ex);
  if (!admin) return ex.error(404);
  auto all = admin->list();
  if (!all) return ex.failure(all.error());
  boost::json::array rows;
  for (auto& c : *all)
    rows.push_back(boost::json::object{{"name", c.name},
                                       {"client_id", c.client_id},
                                       {"type", type_label(ex, c)},
                                       {"trusted", ex.t(c.trusted ? "clients_trusted_yes" : "clients_trusted_no")},
                                       {"created", ex.format_time(c.created_at)}});
  boost::json::object d;
  d["title"] = ex.t("clients_title");
  d["has_clients"] = !rows.empty();
  d["count"] = rows.empty() ? ex.t("clients_count_none") : ex.tn("clients_count", static_cast<long long>(rows.size()));
  d["clients"] = std::move(rows);
  const auto& info = ex.query().get("info");
  if (info == "removed") d["notice"] = ex.t("clients_removed_notice");
  return ex.render("console_clients", std::move(d));
}

http::Response show_client_form(Exchange& ex) {
  if (!client_admin(ex)) return ex.error(404);
  auto d = client_form(ex, ClientFormKind::Add, oidc::Client{});
  d["title"] = ex.t("clients_new_title");
  add_confirmation(ex, d);
  return ex.render("console_client_new", std::move(d));
}

http::Response submit_client_form(Exchange& ex) {
  auto* admin = client_admin(ex);
  if (!admin) return ex.error(404);
  oidc::Client c;
  read_client_form(*ex.form(), ClientFormKind::Add, c);
  auto again = [&](const std::vector<oidc::ClientProblem>& problems) {
    auto d = client_form(ex, ClientFormKind::Add, c, problems);
    d["title"] = (problems.empty() ? "" : ex.t("error_prefix") + " ") + ex.t("clients_new_title");
    add_confirmation(ex, d);
    return d;
  };

  // The registration first: a form with mistakes does not spend a password attempt.
  if (auto problems = oidc::check_client(c); !problems.empty())
    return ex.render("console_client_new", again(problems), 422);
  std::optional<http::Response> stop;
  if (auto wrong = confirm_agent(ex, stop)) {
    auto d = again({});
    add_password_error(ex, d, *wrong, "client");
    d["title"] = ex.t("error_prefix") + " " + ex.t("clients_new_title");
    return ex.render("console_client_new", std::move(d), 422);
  }
  if (stop) return std::move(*stop);
  auto added = admin->add(c, ex.agent().account.id, ex.agent().client);
  if (!added) return ex.failure(added.error());
  if (auto* rejected = std::get_if<ClientRejected>(&*added))
    return ex.render("console_client_new", again(rejected->problems), 422);
  return secret_page(ex, std::get<ClientSaved>(*added), true);
}

http::Response show_client(Exchange& ex) {
  if (!client_admin(ex)) return ex.error(404);
  auto c = named_client(ex);
  if (!c) return ex.failure(c.error());
  auto d = details(ex, *c);
  if (ex.query().get("info") == "updated") d["notice"] = ex.t("clients_updated_notice");
  return ex.render("console_client", std::move(d));
}

// The edit form: `shown` (the stored registration, or what was posted) in
// the fields, and the facts it does not change from `current`.
boost::json::object edit_page(Exchange& ex, const oidc::Client& current, const oidc::Client& shown,
                              const std::vector<oidc::ClientProblem>& problems) {
  auto d = client_form(ex, ClientFormKind::Edit, shown, problems);
  d["title"] = (problems.empty() ? "" : ex.t("error_prefix") + " ") +
               ex.t("clients_edit_title", {{"name", current.name}});
  d["current_name"] = current.name;
  d["client_id"] = current.client_id;
  d["type"] = type_label(ex, current);
  d["auth_method"] = std::string(oidc::to_string(current.auth_method));
  add_confirmation(ex, d);
  return d;
}

// An application removed meanwhile (by another administrator, or on the
// command line) is said to be gone, not a bare "page not found".
http::Response gone_or_failure(Exchange& ex, const Error& e) {
  return e.code == ErrorCode::NotFound ? ex.error(404, "clients_gone") : ex.failure(e);
}

http::Response show_client_edit(Exchange& ex) {
  if (!client_admin(ex)) return ex.error(404);
  auto c = named_client(ex);
  if (!c) return ex.failure(c.error());
  return ex.render("console_client_edit", edit_page(ex, *c, *c, {}));
}

// Checked with the add form's rules, then the password when due, then
// saved through ClientAdminService::update (audited with the fields that
// changed); back to the application's page with a confirmation.
http::Response submit_client_edit(Exchange& ex) {
  auto* admin = client_admin(ex);
  if (!admin) return ex.error(404);
  auto current = named_client(ex);
  if (!current) return gone_or_failure(ex, current.error());
  auto changed = *current;
  read_client_form(*ex.form(), ClientFormKind::Edit, changed);

  // The registration first: a form with mistakes does not spend a password attempt.
  if (auto problems = oidc::check_client(changed); !problems.empty())
    return ex.render("console_client_edit", edit_page(ex, *current, changed, problems), 422);
  std::optional<http::Response> stop;
  if (auto wrong = confirm_agent(ex, stop)) {
    auto d = edit_page(ex, *current, changed, {});
    add_password_error(ex, d, *wrong, "edit");
    d["title"] = ex.t("error_prefix") + " " + ex.t("clients_edit_title", {{"name", current->name}});
    return ex.render("console_client_edit", std::move(d), 422);
  }
  if (stop) return std::move(*stop);
  auto saved = admin->update(changed, ex.agent().account.id, ex.agent().client);
  if (!saved) return gone_or_failure(ex, saved.error());
  if (auto* rejected = std::get_if<ClientRejected>(&*saved))
    return ex.render("console_client_edit", edit_page(ex, *current, changed, rejected->problems), 422);
  auto& s = std::get<ClientSaved>(*saved);
  // A secret method without a secret yet (possible after `client update
  // --auth-method` on the command line): the update made one, shown once.
  if (!s.secret.empty()) return secret_page(ex, s, false);
  return ex.redirect("/support/applications/application?id=" + s.client.client_id + "&info=updated");
}

http::Response submit_client_secret(Exchange& ex) {
  auto* admin = client_admin(ex);
  if (!admin) return ex.error(404);
  auto c = named_client(ex);
  if (!c) return ex.failure(c.error());
  if (!oidc::uses_secret(*c)) return ex.error(400, "clients_no_secret");
  std::optional<http::Response> stop;
  if (auto wrong = confirm_agent(ex, stop)) {
    auto d = details(ex, *c);
    add_password_error(ex, d, *wrong, "secret");
    d["secret_password_error"] = true;
    return ex.render("console_client", std::move(d), 422);
  }
  if (stop) return std::move(*stop);
  auto rotated = admin->rotate_secret(c->client_id, ex.agent().account.id, ex.agent().client);
  if (!rotated) return ex.failure(rotated.error());
  return secret_page(ex, *rotated, false);
}

// First POST: the confirmation page ("Supprimer « Agenda » ?"); the second,
// with confirm=1 (and the password when due): removed.
http::Response submit_client_removal(Exchange& ex) {
  auto* admin = client_admin(ex);
  if (!admin) return ex.error(404);
  auto c = named_client(ex);
  if (!c) return ex.failure(c.error());
  auto confirm_page = [&](int status) {
    boost::json::object d;
    d["title"] = ex.t("clients_remove_title");
    d["name"] = c->name;
    d["client_id"] = c->client_id;
    d["question"] = ex.t("clients_remove_question", {{"name", c->name}});
    add_confirmation(ex, d);
    return std::pair{std::move(d), status};
  };
  if (ex.form()->get("confirm") != "1") {
    auto [d, status] = confirm_page(200);
    return ex.render("console_client_remove", std::move(d), status);
  }
  std::optional<http::Response> stop;
  if (auto wrong = confirm_agent(ex, stop)) {
    auto [d, status] = confirm_page(422);
    add_password_error(ex, d, *wrong, "remove");
    d["title"] = ex.t("error_prefix") + " " + ex.t("clients_remove_title");
    return ex.render("console_client_remove", std::move(d), status);
  }
  if (stop) return std::move(*stop);
  auto removed = admin->remove(c->client_id, ex.agent().account.id, ex.agent().client);
  if (!removed) return ex.failure(removed.error());
  return ex.redirect("/support/applications?info=removed");
}

}  // namespace

std::vector<Route> client_console_routes() {
  using http::Lane;
  return {
      {"GET", "/support/applications", show_clients, Access::Admin},
      {"GET", "/support/applications/nouvelle", show_client_form, Access::Admin},
      {"POST", "/support/applications/nouvelle", submit_client_form, Access::Admin, Lane::Hashing},
      {"GET", "/support/applications/application", show_client, Access::Admin},
      {"GET", "/support/applications/application/modifier", show_client_edit, Access::Admin},
      {"POST", "/support/applications/application/modifier", submit_client_edit, Access::Admin, Lane::Hashing},
      {"POST", "/support/applications/application/secret", submit_client_secret, Access::Admin, Lane::Hashing},
      {"POST", "/support/applications/application/supprimer", submit_client_removal, Access::Admin, Lane::Hashing},
  };
}

}  // namespace portier::web
