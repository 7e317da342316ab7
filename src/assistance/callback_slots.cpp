#include "assistance/callback_slots.h"

#include <algorithm>

namespace portier {

std::optional<int> parse_weekday(std::string_view day) {
  static constexpr std::string_view names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  for (int i = 0; i < 7; ++i)
    if (names[i] == day) return i;
  return std::nullopt;
}

std::optional<int> parse_clock_time(std::string_view t) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (t.size() != 5 || t[2] != ':' || !digit(t[0]) || !digit(t[1]) || !digit(t[3]) || !digit(t[4])) return std::nullopt;
  int h = (t[0] - '0') * 10 + (t[1] - '0');
  int m = (t[3] - '0') * 10 + (t[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::vector<TimePoint> callback_slots(const OpeningHours& hours, TimePoint now, const DisplayTime& zone) {
  std::vector<TimePoint> out;
  if (hours.slot_length.count() <= 0 || hours.closing <= hours.opening) return out;
  auto earliest = now + hours.notice;
  auto today = zone.local(now);
  int days_found = 0;
  // Walk calendar days from today; the bound stops a configuration without
  // opening days from looping.
  for (int offset = 0; days_found < hours.days_ahead && offset < hours.days_ahead * 7 + 7; ++offset) {
    auto day = zone.add_days(today, offset);
    if (std::find(hours.weekdays.begin(), hours.weekdays.end(), day.weekday) == hours.weekdays.end()) continue;
    auto before = out.size();
    for (int start = hours.opening; start + hours.slot_length.count() <= hours.closing;
         start += static_cast<int>(hours.slot_length.count())) {
      auto at = zone.instant(day, start);  // the wall-clock time that day, whatever its DST offset
      if (at >= earliest) out.push_back(at);
    }
    if (out.size() > before) ++days_found;  // a day whose slots are all past does not count
  }
  return out;
}

}  // namespace portier
