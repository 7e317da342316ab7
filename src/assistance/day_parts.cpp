#include "assistance/day_parts.h"

#include <cstdio>

#include "common/display_time.h"

namespace portier {

LocalSlot local_slot(TimePoint at) {
  // The display zone (portal.time_zone), as callback_slots() computes the
  // slots: a call chosen at 12:30 Paris time is booked for 12:30 Paris time,
  // whatever the server's TZ.
  auto l = display_time().local(at);
  LocalSlot s;
  s.year = l.year;
  s.month = l.month;
  s.day = l.day;
  s.weekday = l.weekday;
  s.minutes = l.minutes_of_day();
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", s.year, s.month, s.day);
  s.date = buf;
  std::snprintf(buf, sizeof buf, "%02d:%02d", l.hour, l.minute);
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
  return display_time().day(at, lang, at);  // `now` = `at`: the year is never added
}

std::string part_label(TimePoint at, std::string_view lang) {
  bool morning = day_part(at) == DayPart::Morning;
  if (lang == "en") return day_label(at, lang) + (morning ? ", morning" : ", afternoon");
  return day_label(at, lang) + (morning ? ", le matin" : ", l’après-midi");
}

}  // namespace portier
