#include "web/console_client_form.h"

#include <algorithm>
#include <boost/json/array.hpp>

#include "oidc/authentication_context.h"

namespace portier::web {

namespace {

std::string trimmed(std::string s) {
  auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

// The form's fields in the order of the page: the summary follows it.
const std::vector<std::string>& fields_of(ClientFormKind kind) {
  static const std::vector<std::string> kAdd{"name", "redirect_uris", "post_logout_redirect_uris",
                                             "backchannel_logout_uri"};
  static const std::vector<std::string> kEdit{
      "name",   "redirect_uris",   "post_logout_redirect_uris", "backchannel_logout_uri", "require_pkce",
      "grant_types", "scopes", "id_token_claims", "id_token_alg", "access_token_audience", "minimum_acr"};
  return kind == ClientFormKind::Add ? kAdd : kEdit;
}

// A group of checkboxes (grant types, scopes, claims): the first box holds
// the field's id, so that the summary's link lands on it.
boost::json::object choices(Exchange& ex, const std::string& field, const std::vector<std::string>& known,
                            const std::vector<std::string>& chosen, bool labelled) {
  boost::json::array options;
  for (auto& value : known) {
    boost::json::object o{{"value", value},
                          {"id", options.empty() ? "client-" + field : "client-" + field + "-" + value},
                          {"checked", std::find(chosen.begin(), chosen.end(), value) != chosen.end()}};
    if (labelled) o["label"] = ex.t("clients_" + field + "_" + value);
    options.push_back(std::move(o));
  }
  return boost::json::object{{"field", field},
                             {"legend", ex.t("clients_field_" + field)},
                             {"hint", ex.t("clients_field_" + field + "_hint")},
                             {"options", std::move(options)}};
}

std::string message_of(Exchange& ex, const oidc::ClientProblem& p) {
  auto key = "clients_problem_" + p.code;
  auto text = ex.t(key, {{"value", p.value}});
  return text == key ? p.message : text;
}

void add_problems(Exchange& ex, ClientFormKind kind, boost::json::object& d,
                  const std::vector<oidc::ClientProblem>& problems) {
  const auto& fields = fields_of(kind);
  boost::json::array summary;
  for (auto& field : fields) {
    std::string joined;
    for (auto& p : problems)
      if (p.field == field) joined += (joined.empty() ? "" : " ") + message_of(ex, p);
    if (joined.empty()) continue;
    summary.push_back(boost::json::object{
        {"id", "client-" + field}, {"label", ex.t("clients_field_" + field)}, {"message", joined}});
    d["error_" + field] = joined;
    // A group of checkboxes carries its message in its own object.
    if (auto* groups = d.if_contains("choice_groups"))
      for (auto& g : groups->as_array())
        if (g.as_object().at("field").as_string() == field) g.as_object()["error"] = joined;
  }
  // Rules on options the form does not show (a registration made on the
  // command line): listed, pointing at the form.
  for (auto& p : problems)
    if (std::find(fields.begin(), fields.end(), p.field) == fields.end())
      summary.push_back(boost::json::object{{"id", "client-name"}, {"label", p.field}, {"message", message_of(ex, p)}});
  d["console_errors"] = std::move(summary);
  d["has_errors"] = true;
}

}  // namespace

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    auto line = trimmed(text.substr(start, end - start));
    if (!line.empty()) out.push_back(std::move(line));
    start = end + 1;
  }
  return out;
}

std::string text_of(const std::vector<std::string>& lines) {
  std::string out;
  for (auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

void read_client_form(const Form& f, ClientFormKind kind, oidc::Client& c) {
  // Spaces around a one-line value are a slip of the keyboard, not part of it.
  c.name = trimmed(f.get("name"));
  c.redirect_uris = lines_of(f.get("redirect_uris"));
  c.post_logout_redirect_uris = lines_of(f.get("post_logout_redirect_uris"));
  c.backchannel_logout_uri = trimmed(f.get("backchannel_logout_uri"));
  c.trusted = f.get("trusted") == "1";
  if (kind == ClientFormKind::Add) {
    c.is_public = f.get("public") == "1";
    if (c.is_public) c.auth_method = oidc::ClientAuthMethod::None;
    return;
  }
  // Unchecked boxes are not sent: an absent group is an empty list, which
  // the rules then refuse where a value is needed.
  c.require_pkce = f.get("require_pkce") == "1";
  c.grant_types = f.get_all("grant_types");
  c.scopes = f.get_all("scopes");
  c.id_token_claims = f.get_all("id_token_claims");
  c.id_token_alg = f.get("id_token_alg");
  // The radio buttons send one of two values; anything else keeps the current one.
  if (auto format = oidc::parse_access_token_format(f.get("access_token_format"))) c.access_token_format = *format;
  c.access_token_audience = trimmed(f.get("access_token_audience"));
  c.minimum_acr = f.get("minimum_acr");
}

boost::json::object client_form(Exchange& ex, ClientFormKind kind, const oidc::Client& c,
                                const std::vector<oidc::ClientProblem>& problems) {
  boost::json::object d;
  d["name"] = c.name;
  d["redirect_uris"] = text_of(c.redirect_uris);
  d["post_logout_redirect_uris"] = text_of(c.post_logout_redirect_uris);
  d["backchannel_logout_uri"] = c.backchannel_logout_uri;
  d["is_public"] = c.is_public;
  d["trusted"] = c.trusted;
  if (kind == ClientFormKind::Edit) {
    d["require_pkce"] = c.require_pkce;
    d["choice_groups"] = boost::json::array{
        choices(ex, "grant_types", oidc::known_grant_types(), c.grant_types, true),
        choices(ex, "scopes", oidc::known_scopes(), c.scopes, true),
        choices(ex, "id_token_claims", oidc::known_claims(), c.id_token_claims, false),
    };
    boost::json::array algs;
    for (auto& alg : oidc::known_id_token_algs())
      algs.push_back(boost::json::object{{"value", alg}, {"selected", alg == c.id_token_alg}});
    d["id_token_algs"] = std::move(algs);
    d["access_token_opaque"] = c.access_token_format == oidc::AccessTokenFormat::Opaque;
    d["access_token_jwt"] = c.access_token_format == oidc::AccessTokenFormat::Jwt;
    d["access_token_audience"] = c.access_token_audience;
    // "" (none), then the levels weakest first (oidc/authentication_context.h).
    boost::json::array levels{boost::json::object{
        {"value", ""}, {"label", ex.t("clients_minimum_acr_none")}, {"selected", c.minimum_acr.empty()}}};
    for (const auto& acr : oidc::supported_acr_values())
      levels.push_back(boost::json::object{{"value", acr},
                                           {"label", ex.t("clients_minimum_acr_" + acr.substr(acr.rfind(':') + 1))},
                                           {"selected", acr == c.minimum_acr}});
    d["minimum_acrs"] = std::move(levels);
  }
  if (!problems.empty()) add_problems(ex, kind, d, problems);
  return d;
}

}  // namespace portier::web
