#include "assistance/day_parts.h"

#include <cstdio>
#include <ctime>

namespace portier {

LocalSlot local_slot(TimePoint at) {
  // The server's local zone, as callback_slots() computes the slots.
  std::time_t t = to_unix(at);
  std::tm tm{};
  localtime_r(&t, &tm);
  LocalSlot s;
  s.year = tm.tm_year + 1900;
  s.month = tm.tm_mon + 1;
  s.day = tm.tm_mday;
  s.weekday = tm.tm_wday;
  s.minutes = tm.tm_hour * 60 + tm.tm_min;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", s.year, s.month, s.day);
  s.date = buf;
  std::snprintf(buf, sizeof buf, "%02d:%02d", tm.tm_hour, tm.tm_min);
  s.time = buf;
  return s;
}

DayPart day_part(TimePoint at) { return local_slot(at).minutes < 12 * 60 ? DayPart::Morning : DayPart::Afternoon; }

const char* to_string(DayPart part) { return part == DayPart::Morning ? "morning" : "afternoon"; }

std::vector<PartChoice> part_choices(const std::vector<TimePoint>& offered) {
  std::vector<PartChoice> out;
  for (auto at : offered) {
    auto local = local_slot(at);
    auto part = local.minutes < 12 * 60 ? DayPart::Morning : DayPart::Afternoon;
    if (!out.empty() && out.back().day_key == local.day_key() && out.back().part == part) {
      out.back().last = at;
      continue;
    }
    out.push_back(PartChoice{at, at, part, local.day_key()});
  }
  return out;
}

std::optional<TimePoint> offered_at(const std::vector<TimePoint>& offered, std::string_view date,
                                    std::string_view time) {
  for (auto at : offered) {
    auto local = local_slot(at);
    if (local.date == date && local.time == time) return at;
  }
  return std::nullopt;
}

std::string day_label(TimePoint at, std::string_view lang) {
  static const char* fr_days[] = {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"};
  static const char* en_days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  static const char* fr_months[] = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
                                    "août", "septembre", "octobre", "novembre", "décembre"};
  static const char* en_months[] = {"January", "February", "March", "April", "May", "June", "July",
                                    "August", "September", "October", "November", "December"};
  auto local = local_slot(at);
  auto day = std::to_string(local.day);
  if (lang == "en") return std::string(en_days[local.weekday]) + " " + day + " " + en_months[local.month - 1];
  if (local.day == 1) day += "er";  // « 1er décembre »
  return std::string(fr_days[local.weekday]) + " " + day + " " + fr_months[local.month - 1];
}

std::string part_label(TimePoint at, std::string_view lang) {
  bool morning = day_part(at) == DayPart::Morning;
  if (lang == "en") return day_label(at, lang) + (morning ? ", morning" : ", afternoon");
  return day_label(at, lang) + (morning ? ", le matin" : ", l’après-midi");
}

}  // namespace portier
