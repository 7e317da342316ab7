#include "web/assistance_view.h"

#include "account/phone_format.h"

#include <algorithm>
#include <cctype>

namespace portier::web {

boost::json::array part_days(Exchange& ex, const std::vector<PartChoice>& offered,
                             const std::vector<std::string>& chosen) {
  boost::json::array days;
  int last_key = -1;
  for (const auto& p : offered) {
    if (p.day_key != last_key) {
      // "Jeudi 3 décembre": written out, as a day heading reads better to a
      // screen reader than 03/12/2026.
      auto legend = day_label(p.start, ex.lang());
      legend[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(legend[0])));
      days.push_back(boost::json::object{{"legend", legend}, {"key", std::to_string(p.day_key)},
                                         {"parts", boost::json::array{}}});
      last_key = p.day_key;
    }
    auto id = std::to_string(to_unix(p.start));
    boost::json::object part{{"id", id},
                             {"label", ex.t(std::string("assistance_part_") + to_string(p.part))},
                             {"input_id", "part-" + id}};
    if (std::find(chosen.begin(), chosen.end(), id) != chosen.end()) part["checked"] = true;
    days.back().as_object()["parts"].as_array().push_back(std::move(part));
  }
  return days;
}

std::string request_reference(Exchange& ex, const AssistanceRequest& r) {
  if (!r.reference.empty()) return r.reference;
  return ex.t("assistance_reference_legacy", {{"id", std::to_string(r.id)}});
}

boost::json::object request_view(Exchange& ex, const AssistanceRequest& r) {
  boost::json::array preferred;
  for (auto at : r.preferred_slots)
    preferred.push_back(boost::json::object{{"id", std::to_string(to_unix(at))}, {"label", part_label(at, ex.lang())}});
  boost::json::object v{{"id", r.id},
                        {"reference", request_reference(ex, r)},
                        {"created", ex.format_time(r.created_at)},
                        {"status", to_string(r.status)},
                        {"status_label", ex.t(std::string("support_request_state_") + to_string(r.status))},
                        {"target_text", r.target_text},
                        {"name", r.name},
                        {"phone", r.phone ? format_phone(*r.phone) : std::string()},
                        {"phone_href", r.phone ? phone_href(*r.phone) : std::string()},
                        {"email", r.email.value_or("")},
                        {"message", r.message},
                        {"preferred", std::move(preferred)},
                        {"note", r.note},
                        {"lang", r.lang}};
  if (r.account) v["account_id"] = *r.account;
  if (r.assigned_to) v["assigned"] = true;
  if (r.scheduled_at) v["scheduled"] = ex.format_time(*r.scheduled_at);
  if (r.closed_at) v["closed"] = ex.format_time(*r.closed_at);
  return v;
}

}  // namespace portier::web
