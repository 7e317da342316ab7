#pragma once
// The assistance form's choice: a day, then a part of it (morning or
// afternoon), built from the offered callback slots (callback_slots.h), and
// how a day and an hour typed by staff ("2026-12-03", "14:30") find their
// slot. Every local reading of a moment here goes through local_slot(), in
// the same zone as callback_slots() (the display zone, common/display_time.h).
// Pure but for that process-wide zone.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace portier {

enum class DayPart { Morning, Afternoon };  // split at 12:00 local time

// A moment read on the wall clock of the slots' zone.
struct LocalSlot {
  int year = 0, month = 0, day = 0;  // month 1 … 12
  int weekday = 0;                   // 0 = Sunday … 6 = Saturday
  int minutes = 0;                   // after local midnight
  std::string date;                  // "2026-12-03", as <input type=date> sends it
  std::string time;                  // "14:30", as <input type=time> sends it
  int day_key() const { return year * 10000 + month * 100 + day; }
};
LocalSlot local_slot(TimePoint at);

DayPart day_part(TimePoint at);
const char* to_string(DayPart part);  // "morning", "afternoon"

// One part of one day that has offered slots: `start` is its first offered
// slot (the value the form posts, and what the request stores), `last` its
// last one.
struct PartChoice {
  TimePoint start;
  TimePoint last;
  DayPart part;
  int day_key;
};
// In order, one per (day, part) with at least one offered slot.
std::vector<PartChoice> part_choices(const std::vector<TimePoint>& offered);

// The offered slot that starts at `date` `time` (local), if any: staff type a
// day and an hour, the server only books an offered slot.
std::optional<TimePoint> offered_at(const std::vector<TimePoint>& offered, std::string_view date,
                                    std::string_view time);

// "jeudi 3 décembre" / "Thursday 3 December"; "1er" on the first of the month.
std::string day_label(TimePoint at, std::string_view lang);
// "jeudi 3 décembre, le matin" / "Thursday 3 December, morning": a choice as
// the member made it (mails and the console).
std::string part_label(TimePoint at, std::string_view lang);

}  // namespace portier
