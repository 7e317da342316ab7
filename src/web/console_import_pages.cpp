// The support console's CSV import (/support/import): check first, then
// create the accounts and queue their invitations (admin/account_import.h).
// The file is pasted in a textarea: forms here are urlencoded and a request
// body is at most server.max_body_bytes (64 KiB by default), so the page says
// to split larger files.
#include <boost/json/array.hpp>

#include "web/console_access.h"
#include "web/pages.h"
#include "web/session_cookies.h"

namespace portier::web {

namespace {

boost::json::object import_page(Exchange& ex, const std::string& csv) {
  boost::json::object d;
  d["title"] = ex.t("console_import_title");
  d["csv"] = csv;
  d["has_import"] = true;
  d["max_kib"] = std::to_string(ex.services().config.server.max_body_bytes / 1024);
  return d;
}

void add_report(Exchange& ex, boost::json::object& d, const ImportReport& report) {
  boost::json::array problems;
  for (auto& p : report.problems) {
    auto key = "console_import_problem_" + p.code;
    auto text = ex.t(key);
    problems.push_back(boost::json::object{{"line", std::to_string(p.line)}, {"message", text == key ? p.message : text}});
  }
  d["has_problems"] = !problems.empty();
  d["problems"] = std::move(problems);
  d["reported"] = true;
  d["valid_count"] = ex.t("console_import_valid", {{"count", std::to_string(report.accounts.size())}});
  if (report.applied) {
    d["applied"] = true;
    d["notice"] = ex.tn("console_import_created", static_cast<long long>(report.accounts.size())) + " " +
                  ex.tn("console_import_invited", static_cast<long long>(report.invitations_queued));
  }
}

}  // namespace

http::Response show_console_import(Exchange& ex) {
  if (!ex.services().account_import) return ex.error(404);
  return ex.render("console_import", import_page(ex, {}));
}

http::Response submit_console_import(Exchange& ex) {
  const Agent& agent = ex.agent();
  auto* import = ex.services().account_import;
  if (!import) return ex.error(404);
  auto& f = *ex.form();
  const auto& csv = f.get("csv");
  auto d = import_page(ex, csv);
  bool apply = f.get("step") == "apply";
  // Creating accounts is sensitive: the agent's password again, as for the account actions.
  std::string problem;
  if (apply) {
    auto checked = ex.services().reauth->check(agent.account, {f.get("agent_password")}, ReauthFactor::PasswordOnly,
                                               "support.import", agent.client);
    if (!checked) return ex.failure(checked.error());
    if (std::holds_alternative<ReauthLockedOut>(*checked)) return signed_out_by_reauth(ex);
    if (auto* refused = std::get_if<ReauthRefused>(&*checked)) problem = refused->password_problem;
  }
  if (!problem.empty()) {
    auto message = ex.t("problem_" + problem);
    d["agent_password_error"] = message;
    d["console_errors"] = boost::json::array{boost::json::object{
        {"id", "import-agent_password"}, {"label", ex.t("console_field_agent_password")}, {"message", message}}};
    d["has_errors"] = true;
    d["title"] = ex.t("error_prefix") + " " + ex.t("console_import_title");
    return ex.render("console_import", std::move(d), 422);
  }
  auto report = apply ? import->apply(csv, agent.account.id, agent.client) : import->check(csv);
  if (!report) return ex.failure(report.error());
  add_report(ex, d, *report);
  if (report->applied) d["csv"] = "";
  return ex.render("console_import", std::move(d), report->ok() ? 200 : 422);
}

}  // namespace portier::web
