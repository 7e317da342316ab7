#pragma once
#include <string>
#include <string_view>

#include "common/clock.h"

namespace portier {

// A moment as a member reads it, in the display time zone (portal.time_zone,
// common/display_time.h): "jeudi 3 décembre à 17 h 43" in French, "Thursday
// 3 December at 5:43 pm" in English, the year added when it is not this
// year's. Pages and messages share it so that a deadline reads the same in
// both; templates put it after "le", "jusqu’au", "à partir du".
std::string format_local_time(TimePoint at, std::string_view lang);

}  // namespace portier
