// The support console's CSV import (/support/import): a file chosen (the
// form is multipart/form-data, web/multipart.h) or pasted, checked first and
// shown as a preview table with each bad value in its cell, then "importer
// les lignes valides": the valid lines become pending members invited by
// mail (admin/account_import.h), with links to the accounts created. A
// request body is at most server.max_body_bytes (64 KiB by default): the
// page says to split larger files.
#include <map>

#include <boost/json/array.hpp>

#include "admin/csv_text.h"
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
  if (auto until = support(ex).confirmed_until(ex.agent())) {
    d["password_confirmed"] = true;
    d["confirmed_until"] = ex.t("console_confirmed_until", {{"until", ex.format_time(*until)}});
  }
  return d;
}

std::string problem_text(Exchange& ex, const ImportProblem& p) {
  auto key = "console_import_problem_" + p.code;
  auto text = ex.t(key);
  return text == key ? p.message : text;
}

// "Aucune ligne valide." for none when the strings say so, else the plural
// forms of Exchange::tn ("1 ligne valide.", "2 lignes valides.").
std::string count_text(Exchange& ex, const char* key, std::size_t n) {
  if (n == 0) {
    auto none = std::string(key) + "_none";
    if (auto text = ex.t(none); text != none) return text;
  }
  return ex.tn(key, static_cast<long long>(n));
}

void add_report(Exchange& ex, boost::json::object& d, const ImportReport& report) {
  // File-level problems (and those of lines that could not be read into
  // cells) go in a list; the others in the preview's cells.
  std::map<std::pair<int, std::string>, std::string> cell_problems;
  boost::json::array problems;
  std::size_t bad_lines = 0;
  for (auto& p : report.problems) {
    if (!p.field.empty()) cell_problems[{p.line, p.field}] += (cell_problems[{p.line, p.field}].empty() ? "" : " ; ") + problem_text(ex, p);
    else problems.push_back(boost::json::object{{"line", std::to_string(p.line)}, {"message", problem_text(ex, p)}});
  }
  boost::json::array headings;
  for (int f = 0; f < kImportFieldCount; ++f)
    if (report.columns.size() == kImportFieldCount && report.columns[f])
      headings.push_back(boost::json::object{{"label", ex.t(std::string("console_import_col_") + to_string(static_cast<ImportField>(f)))}});
  boost::json::array rows;
  for (auto& r : report.rows) {
    boost::json::array cells;
    for (int f = 0; f < kImportFieldCount; ++f) {
      if (report.columns.size() != kImportFieldCount || !report.columns[f]) continue;
      auto field = to_string(static_cast<ImportField>(f));
      boost::json::object c{{"value", r.cells[f]}, {"label", ex.t(std::string("console_import_col_") + field)}};
      if (auto it = cell_problems.find({r.line, field}); it != cell_problems.end()) c["problem"] = it->second;
      cells.push_back(std::move(c));
    }
    boost::json::object row{{"line", std::to_string(r.line)}, {"valid", r.valid}, {"cells", std::move(cells)}};
    if (!r.valid) ++bad_lines;
    if (r.valid && report.applied && r.account < report.accounts.size()) {
      row["account_id"] = std::to_string(report.accounts[r.account].id);
      row["account_identifier"] = report.accounts[r.account].identifier;
    }
    rows.push_back(std::move(row));
  }
  d["has_problems"] = !problems.empty();
  d["problems"] = std::move(problems);
  d["has_rows"] = !rows.empty();
  d["headings"] = std::move(headings);
  d["rows"] = std::move(rows);
  d["reported"] = true;
  d["valid_count"] = count_text(ex, "console_import_valid", report.accounts.size());
  if (bad_lines > 0) d["bad_count"] = count_text(ex, "console_import_bad", bad_lines);
  if (!report.encoding.empty()) {
    auto sep = ex.t(report.separator == ';' ? "console_import_sep_semicolon"
                    : report.separator == '\t' ? "console_import_tab"
                                               : "console_import_sep_comma");
    d["read_as"] = ex.t("console_import_read_as", {{"encoding", report.encoding == "utf-8" ? "UTF-8" : "Windows-1252"},
                                                   {"separator", sep}});
  }
  if (report.identifiers_made && !report.rows.empty()) d["identifiers_made"] = true;
  if (!report.ignored_columns.empty()) {
    std::string names;
    for (auto& c : report.ignored_columns) names += (names.empty() ? "" : ", ") + ex.t("console_import_quoted", {{"text", c}});
    d["ignored"] = ex.t("console_import_ignored", {{"columns", names}});
  }
  d["can_apply"] = !report.applied && !report.accounts.empty();
  d["apply_label"] = count_text(ex, "console_import_apply", report.accounts.size());
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
  // A chosen file wins over the text area; either way the text area then
  // holds the file as read (UTF-8), so that "importer" sends what was checked.
  const auto& file = f.get("file");
  const auto& bytes = file.empty() ? f.get("csv") : file;
  auto decoded = decode_csv_bytes(bytes);
  auto d = import_page(ex, decoded ? decoded->text : std::string());
  bool apply = f.get("step") == "apply";
  // Creating accounts is sensitive: the agent's password, once per period as
  // for the account actions (session/reauthentication.h through SupportService).
  if (apply && !support(ex).confirmed_until(agent)) {
    auto confirmed = support(ex).confirm(agent, f.get("agent_password"));
    if (!confirmed) return ex.failure(confirmed.error());
    if (std::holds_alternative<ReauthLockedOut>(*confirmed)) return signed_out_by_reauth(ex);
    if (auto* invalid = std::get_if<Invalid>(&*confirmed)) {
      auto message = ex.t("problem_" + invalid->errors["agent_password"]);
      d["agent_password_error"] = message;
      d["console_errors"] = boost::json::array{boost::json::object{
          {"id", "import-agent_password"}, {"label", ex.t("console_field_agent_password")}, {"message", message}}};
      d["has_errors"] = true;
      d["title"] = ex.t("error_prefix") + " " + ex.t("console_import_title");
      if (auto report = import->check(bytes)) add_report(ex, d, *report);
      return ex.render("console_import", std::move(d), 422);
    }
  }
  auto report = apply ? import->apply(bytes, agent.account.id, agent.client, true) : import->check(bytes);
  if (!report) return ex.failure(report.error());
  add_report(ex, d, *report);
  if (report->applied) d["csv"] = "";
  return ex.render("console_import", std::move(d), report->ok() || report->applied ? 200 : 422);
}

}  // namespace portier::web
