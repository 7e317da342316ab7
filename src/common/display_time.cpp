#include "common/display_time.h"

#include <date/tz.h>

#include <cstdio>
#include <stdexcept>

namespace portier {

namespace {

constexpr const char* kFrDays[] = {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"};
constexpr const char* kEnDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr const char* kFrMonths[] = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
                                     "août", "septembre", "octobre", "novembre", "décembre"};
constexpr const char* kEnMonths[] = {"January", "February", "March", "April", "May", "June", "July",
                                     "August", "September", "October", "November", "December"};
// "13 h 30" must never break across lines: no-break spaces around the "h".
constexpr const char* kNbsp = "\u00a0";

bool english(std::string_view lang) { return lang == "en"; }

std::string day_label(const LocalTime& l, std::string_view lang, const LocalTime& today) {
  std::string out;
  if (english(lang)) {
    out = std::string(kEnDays[l.weekday]) + " " + std::to_string(l.day) + " " + kEnMonths[l.month - 1];
  } else {
    out = std::string(kFrDays[l.weekday]) + " " + std::to_string(l.day) + (l.day == 1 ? "er" : "") + " " +
          kFrMonths[l.month - 1];  // « lundi 1er décembre »
  }
  if (l.year != today.year) out += " " + std::to_string(l.year);
  return out;
}

std::string clock_label(const LocalTime& l, std::string_view lang) {
  char buf[32];
  if (english(lang)) {
    int h12 = l.hour % 12 == 0 ? 12 : l.hour % 12;
    std::snprintf(buf, sizeof buf, "%d:%02d %s", h12, l.minute, l.hour < 12 ? "am" : "pm");
  } else if (l.minute == 0) {
    std::snprintf(buf, sizeof buf, "%d%sh", l.hour, kNbsp);  // « 9 h », as the opening hours read
  } else {
    std::snprintf(buf, sizeof buf, "%d%sh%s%02d", l.hour, kNbsp, kNbsp, l.minute);
  }
  return buf;
}

}  // namespace

DisplayTime::DisplayTime(std::string_view zone) : zone_name_(zone) {
  try {
    zone_ = date::locate_zone(zone_name_);
  } catch (const std::exception&) {
    throw std::runtime_error("unknown time zone \"" + zone_name_ + "\" (expected a tz database name such as Europe/Paris)");
  }
}

LocalTime DisplayTime::local(TimePoint at) const {
  auto lt = zone_->to_local(std::chrono::time_point_cast<std::chrono::seconds>(at));
  auto days = date::floor<date::days>(lt);
  date::year_month_day ymd{days};
  date::weekday wd{days};
  auto since_midnight = std::chrono::duration_cast<std::chrono::minutes>(lt - days);
  LocalTime l;
  l.year = static_cast<int>(ymd.year());
  l.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  l.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  l.weekday = static_cast<int>(wd.c_encoding());
  l.hour = static_cast<int>(since_midnight.count() / 60);
  l.minute = static_cast<int>(since_midnight.count() % 60);
  return l;
}

TimePoint DisplayTime::instant(const LocalTime& day, int minutes_after_midnight) const {
  date::year_month_day ymd{date::year{day.year}, date::month{static_cast<unsigned>(day.month)},
                           date::day{static_cast<unsigned>(day.day)}};
  auto lt = date::local_days{ymd} + std::chrono::minutes{minutes_after_midnight};
  // The offset in force before any change that day: a unique time maps
  // exactly, an autumn repeat maps to its first occurrence, and a spring gap
  // time maps one hour later (02:30 → 03:30), as a watch set forward would.
  auto info = zone_->get_info(lt);
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(lt.time_since_epoch() - info.first.offset));
}

LocalTime DisplayTime::add_days(const LocalTime& day, int days) const {
  date::year_month_day ymd{date::year{day.year}, date::month{static_cast<unsigned>(day.month)},
                           date::day{static_cast<unsigned>(day.day)}};
  date::year_month_day next{date::sys_days{ymd} + date::days{days}};
  LocalTime probe;
  probe.year = static_cast<int>(next.year());
  probe.month = static_cast<int>(static_cast<unsigned>(next.month()));
  probe.day = static_cast<int>(static_cast<unsigned>(next.day()));
  return local(instant(probe, 12 * 60));
}

std::string DisplayTime::day(TimePoint at, std::string_view lang, TimePoint now) const {
  return day_label(local(at), lang, local(now));
}

std::string DisplayTime::time_of_day(TimePoint at, std::string_view lang) const {
  return clock_label(local(at), lang);
}

std::string DisplayTime::date_time(TimePoint at, std::string_view lang, TimePoint now) const {
  auto l = local(at);
  return day_label(l, lang, local(now)) + (english(lang) ? " at " : " à ") + clock_label(l, lang);
}

std::string DisplayTime::moment(TimePoint at, std::string_view lang, TimePoint now) const {
  auto l = local(at);
  if (l.same_day(local(now))) return clock_label(l, lang);
  return date_time(at, lang, now);
}

std::string DisplayTime::until(TimePoint expires, TimePoint now, std::string_view lang) const {
  auto left = std::chrono::duration_cast<Seconds>(expires - now);
  bool today = local(expires).same_day(local(now));
  auto when = today ? time_of_day(expires, lang) : date_time(expires, lang, now);
  if (english(lang)) return "valid for " + format_duration(left, lang) + ", until " + when;
  return "valable " + format_duration(left, lang) + (today ? ", jusqu’à " : ", jusqu’au ") + when;
}

std::string format_duration(Seconds d, std::string_view lang) {
  long long minutes = (d.count() + 59) / 60;
  if (minutes < 1) minutes = 1;
  long long n;
  const char* unit;
  if (minutes < 60) {
    n = minutes;
    unit = english(lang) ? "minute" : "minute";
  } else if (minutes < 48 * 60) {
    n = (minutes + 59) / 60;
    unit = english(lang) ? "hour" : "heure";
  } else {
    n = (minutes + 24 * 60 - 1) / (24 * 60);
    unit = english(lang) ? "day" : "jour";
  }
  return std::to_string(n) + " " + unit + (n > 1 ? "s" : "");
}

namespace {
DisplayTime& process_display_time() {
  static DisplayTime instance("Europe/Paris");
  return instance;
}
}  // namespace

void set_display_time_zone(std::string_view zone) { process_display_time() = DisplayTime(zone); }
const DisplayTime& display_time() { return process_display_time(); }

}  // namespace portier
