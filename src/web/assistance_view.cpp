#include "web/assistance_view.h"

#include <algorithm>
#include <ctime>

#include "common/display_time.h"
#include "common/time_format.h"

namespace portier::web {

namespace {

// The slot's day and time in the display zone (portal.time_zone), not the
// server's TZ.
std::tm local(TimePoint at) {
  auto l = display_time().local(at);
  std::tm tm{};
  tm.tm_year = l.year - 1900;
  tm.tm_mon = l.month - 1;
  tm.tm_mday = l.day;
  tm.tm_wday = l.weekday;
  tm.tm_hour = l.hour;
  tm.tm_min = l.minute;
  return tm;
}

// "lundi 30 novembre" / "Monday 30 November": written out, as a day heading
// reads better to a screen reader than 30/11/2026.
std::string day_label(const std::tm& tm, const std::string& lang) {
  static const char* fr_days[] = {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"};
  static const char* en_days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  static const char* fr_months[] = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
                                    "août", "septembre", "octobre", "novembre", "décembre"};
  static const char* en_months[] = {"January", "February", "March", "April", "May", "June", "July",
                                    "August", "September", "October", "November", "December"};
  auto day = std::to_string(tm.tm_mday);
  if (lang != "en" && tm.tm_mday == 1) day += "er";  // « 1er décembre »
  if (lang == "en") return std::string(en_days[tm.tm_wday]) + " " + day + " " + en_months[tm.tm_mon];
  return std::string(fr_days[tm.tm_wday]) + " " + day + " " + fr_months[tm.tm_mon];
}

}  // namespace

boost::json::array slot_days(Exchange& ex, const std::vector<TimePoint>& offered, const std::vector<std::string>& chosen) {
  boost::json::array days;
  int last_key = -1;
  for (auto at : offered) {
    auto tm = local(at);
    int key = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
    if (key != last_key) {
      auto legend = day_label(tm, ex.lang());
      legend[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(legend[0])));
      days.push_back(boost::json::object{{"legend", legend}, {"key", std::to_string(key)}, {"slots", boost::json::array{}}});
      last_key = key;
    }
    auto id = std::to_string(to_unix(at));
    boost::json::object slot{{"id", id}, {"label", display_time().time_of_day(at, ex.lang())}, {"input_id", "slot-" + id}};
    if (std::find(chosen.begin(), chosen.end(), id) != chosen.end()) slot["checked"] = true;
    days.back().as_object()["slots"].as_array().push_back(std::move(slot));
  }
  return days;
}

boost::json::object request_view(Exchange& ex, const AssistanceRequest& r) {
  boost::json::array preferred;
  for (auto at : r.preferred_slots)
    preferred.push_back(boost::json::object{{"id", std::to_string(to_unix(at))}, {"label", ex.format_time(at)}});
  boost::json::object v{{"id", r.id},
                        {"created", ex.format_time(r.created_at)},
                        {"status", to_string(r.status)},
                        {"status_label", ex.t(std::string("support_request_state_") + to_string(r.status))},
                        {"target_text", r.target_text},
                        {"name", r.name},
                        {"phone", r.phone.value_or("")},
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
