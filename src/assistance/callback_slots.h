#pragma once
// The callback slots offered on the assistance form: the support team's
// opening hours cut into fixed-length slots over the next working days, in
// the display time zone (portal.time_zone), whatever the server's TZ: a slot
// at 12:30 is 12:30 in Paris. Pure: time and zone come in as arguments.
#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/display_time.h"

namespace portier {

struct OpeningHours {
  std::vector<int> weekdays{1, 2, 3, 4, 5};  // 0 = Sunday … 6 = Saturday (std::tm::tm_wday)
  int opening = 9 * 60;                      // minutes after midnight in the display zone
  int closing = 18 * 60;                     // the last slot ends at or before this
  std::chrono::minutes slot_length{30};
  int days_ahead = 10;                        // opening days offered (days with at least one slot left)
  // Slots starting sooner than this are not offered: staff need time to see
  // the request before they call.
  std::chrono::minutes notice{60};
};

// "mon" … "sun" → 1 … 0 (tm_wday); nullopt otherwise.
std::optional<int> parse_weekday(std::string_view day);
// "HH:MM" (24 h) → minutes after midnight; nullopt when malformed.
std::optional<int> parse_clock_time(std::string_view text);

// Slot starts, in order, over the next `days_ahead` opening days that still
// have a slot, skipping every slot that starts before now + notice.
// Hours are read in `zone`.
std::vector<TimePoint> callback_slots(const OpeningHours& hours, TimePoint now,
                                      const DisplayTime& zone = display_time());

}  // namespace portier
