#include "web/form_errors.h"

#include <boost/json/array.hpp>

#include "flow/password_choice.h"

namespace portier::web {

namespace {

std::string one_problem(Exchange& ex, std::string_view problem) {
  auto& policy = ex.services().config.security;
  auto colon = problem.find(':');
  auto id = problem.substr(0, colon);
  auto word = colon == std::string_view::npos ? std::string_view() : problem.substr(colon + 1);
  return ex.t("problem_" + std::string(id), {{"min", std::to_string(policy.password_min_length)},
                                             {"max", std::to_string(policy.password_max_length)},
                                             {"word", std::string(word)}});
}

}  // namespace

std::string problem_message(Exchange& ex, const std::string& problem) {
  std::string out;
  std::string_view rest = problem;
  while (true) {
    auto bar = rest.find('|');
    out += (out.empty() ? "" : " ") + one_problem(ex, rest.substr(0, bar));
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  return out;
}

FieldErrors password_field_errors(const std::string& encoded) {
  auto fields = decode_password_problem(encoded);
  return FieldErrors(fields.begin(), fields.end());
}

void add_field_errors(Exchange& ex, boost::json::object& data, const FieldErrors& errors,
                      std::initializer_list<const char*> order) {
  if (errors.empty()) return;
  boost::json::array summary;
  for (const char* field : order) {
    auto it = errors.find(field);
    if (it == errors.end()) continue;
    auto message = problem_message(ex, it->second);
    summary.push_back(boost::json::object{{"field", field}, {"message", message}});
    data[std::string("error_") + field] = message;
  }
  data["errors"] = std::move(summary);
  data["has_errors"] = true;
  data["title"] = ex.t("error_prefix") + " " + std::string(data.contains("title") ? data["title"].as_string() : "");
}

}  // namespace portier::web
