#include "web/form_errors.h"

#include <boost/json/array.hpp>

namespace portier::web {

std::string problem_message(Exchange& ex, const std::string& problem) {
  auto& policy = ex.services().config.security;
  return ex.t("problem_" + problem, {{"min", std::to_string(policy.password_min_length)},
                                     {"max", std::to_string(policy.password_max_length)}});
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
