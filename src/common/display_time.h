#pragma once
// Moments as a member reads them, in one display time zone (display.time_zone,
// Europe/Paris by default) whatever the server's own TZ: "jeudi 3 décembre à
// 13 h 30" in French, "Thursday 3 December at 1:30 pm" in English. Never a
// zone abbreviation ("UTC", "CET"): the network's members all live in the
// display zone, and an abbreviation only makes them do arithmetic.
// Zone rules come from the system tz database (Howard Hinnant's date/tz,
// Debian libhowardhinnant-date-dev), never from hand-written DST rules.
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace date {
class time_zone;
}

namespace portier {

// A calendar day and wall-clock time in the display zone.
struct LocalTime {
  int year = 1970;
  int month = 1;    // 1 … 12
  int day = 1;      // 1 … 31
  int weekday = 4;  // 0 = Sunday … 6 = Saturday (as std::tm::tm_wday)
  int hour = 0;
  int minute = 0;
  int minutes_of_day() const { return hour * 60 + minute; }
  bool same_day(const LocalTime& o) const { return year == o.year && month == o.month && day == o.day; }
};

class DisplayTime {
public:
  // Throws std::runtime_error when the tz database has no such zone.
  explicit DisplayTime(std::string_view zone = "Europe/Paris");

  const std::string& zone_name() const { return zone_name_; }

  LocalTime local(TimePoint at) const;
  // The instant a wall-clock time names on a day (`day` as from local()).
  // A time skipped by the spring change (02:30 on the last Sunday of March)
  // is taken one hour later; one that happens twice in autumn, the first.
  TimePoint instant(const LocalTime& day, int minutes_after_midnight) const;
  // The same calendar day `days` later (or earlier), at noon.
  LocalTime add_days(const LocalTime& day, int days) const;

  // "jeudi 3 décembre" / "Thursday 3 December"; the year is added when it is
  // not the year of `now` ("lundi 1er décembre 2025").
  std::string day(TimePoint at, std::string_view lang, TimePoint now) const;
  // "13 h 30", "9 h" / "1:30 pm", "9:00 am".
  std::string time_of_day(TimePoint at, std::string_view lang) const;
  // "jeudi 3 décembre à 13 h 30" / "Thursday 3 December at 1:30 pm".
  std::string date_time(TimePoint at, std::string_view lang, TimePoint now) const;
  // The time alone when `at` falls on the same day as `now`, else date_time().
  std::string moment(TimePoint at, std::string_view lang, TimePoint now) const;
  // "valable 10 minutes, jusqu’à 17 h 04" / "valid for 10 minutes, until
  // 5:04 pm"; days or hours for long lifetimes ("valable 7 jours, jusqu’au
  // jeudi 10 décembre à 13 h 30").
  std::string until(TimePoint expires, TimePoint now, std::string_view lang) const;

private:
  std::string zone_name_;
  const date::time_zone* zone_;
};

// "10 minutes", "1 heure", "7 jours" / "10 minutes", "1 hour", "7 days":
// the largest whole unit, rounded up (a code valid 9 min 30 s shows 10).
std::string format_duration(Seconds d, std::string_view lang);

// The process's display zone, set once at start-up (app/) before any thread
// serves, like a locale; Europe/Paris until then.
void set_display_time_zone(std::string_view zone);
const DisplayTime& display_time();

}  // namespace portier
