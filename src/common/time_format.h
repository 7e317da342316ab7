#pragma once
#include <string>
#include <string_view>

#include "common/clock.h"

namespace portier {

// A moment in the server's time zone as a member reads it: "25/11/2026 à
// 17:43 (CET)" in French, "2026-11-25 at 17:43 (CET)" in English. Pages and
// messages share it so that a deadline reads the same in both.
std::string format_local_time(TimePoint at, std::string_view lang);

}  // namespace portier
