#include "config/assistance_config.h"

#include "config/assistance_config_reader.h"
#include "notify/mime_message.h"

namespace portier {

void read_assistance_config(const ConfigFile& t, AssistanceConfig& a, std::vector<std::string>& p) {
  if (auto node = t.at_path("assistance.days")) {
    auto* list = node.as_array();
    if (!list) {
      p.push_back("assistance.days: expected a list such as [\"mon\", \"tue\"]");
    } else {
      a.days.clear();
      for (auto& day : *list) {
        if (auto v = day.value<std::string>()) a.days.push_back(*v);
        else p.push_back("assistance.days: expected strings such as \"mon\"");
      }
    }
  }
  auto text = [&](const char* path, std::string& out) {
    if (auto node = t.at_path(path)) {
      if (auto v = node.value<std::string>()) out = *v;
      else p.push_back(std::string(path) + ": expected a string such as \"09:00\"");
    }
  };
  auto number = [&](const char* path, auto& out) {
    if (auto node = t.at_path(path)) {
      if (auto v = node.value<std::int64_t>(); v && *v >= 0 && *v < 1'000'000)
        out = static_cast<std::remove_reference_t<decltype(out)>>(*v);
      else p.push_back(std::string(path) + ": expected a non-negative integer");
    }
  };
  text("assistance.opening", a.opening);
  text("assistance.closing", a.closing);
  if (auto node = t.at_path("assistance.team_email")) {
    if (auto v = node.value<std::string>()) a.team_email = *v;
    else p.push_back("assistance.team_email: expected a string such as \"equipe-assistance@example.org\"");
  }
  number("assistance.slot_minutes", a.slot_minutes);
  number("assistance.days_ahead", a.days_ahead);
  number("assistance.per_client_limit", a.per_client_limit);
  std::int64_t window = a.limit_window.count();
  number("assistance.limit_window", window);
  a.limit_window = std::chrono::seconds(window);
}

void validate_assistance_config(const AssistanceConfig& a, std::vector<std::string>& p) {
  if (a.days.empty()) p.push_back("assistance.days: at least one day (mon, tue, wed, thu, fri, sat, sun)");
  for (const auto& d : a.days)
    if (!parse_weekday(d)) p.push_back("assistance.days: '" + d + "' is not one of mon, tue, wed, thu, fri, sat, sun");
  auto open = parse_clock_time(a.opening);
  auto close = parse_clock_time(a.closing);
  if (!open) p.push_back("assistance.opening: expected HH:MM (24 h), got '" + a.opening + "'");
  if (!close) p.push_back("assistance.closing: expected HH:MM (24 h), got '" + a.closing + "'");
  if (a.slot_minutes < 5 || a.slot_minutes > 240) p.push_back("assistance.slot_minutes: between 5 and 240");
  if (open && close && *close <= *open) p.push_back("assistance.closing: must be after assistance.opening");
  else if (open && close && a.slot_minutes > 0 && *close - *open < a.slot_minutes)
    p.push_back("assistance.slot_minutes: longer than the opening hours, so no slot would be offered");
  if (a.days_ahead < 1 || a.days_ahead > 60) p.push_back("assistance.days_ahead: between 1 and 60");
  if (a.per_client_limit < 1) p.push_back("assistance.per_client_limit: at least 1");
  if (a.limit_window.count() < 60) p.push_back("assistance.limit_window: at least 60 seconds");
  if (!a.team_email.empty() && !is_plain_mail_address(a.team_email))
    p.push_back("assistance.team_email: expected a plain address such as equipe-assistance@example.org");
}

OpeningHours opening_hours(const AssistanceConfig& a) {
  OpeningHours h;
  h.weekdays.clear();
  for (const auto& d : a.days)
    if (auto w = parse_weekday(d)) h.weekdays.push_back(*w);
  h.opening = parse_clock_time(a.opening).value_or(9 * 60);
  h.closing = parse_clock_time(a.closing).value_or(18 * 60);
  h.slot_length = std::chrono::minutes(a.slot_minutes);
  h.days_ahead = a.days_ahead;
  return h;
}

}  // namespace portier
