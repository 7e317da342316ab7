#include "common/time_format.h"

#include "common/display_time.h"

namespace portier {

// The real clock only decides whether the year is shown: a message is read
// when it is sent, and the moments it names are close to that.
std::string format_local_time(TimePoint at, std::string_view lang) {
  return display_time().date_time(at, lang, std::chrono::system_clock::now());
}

}  // namespace portier
