#include <ctime>
#include <string>

#include "common/clock.h"

namespace portier {

std::string format_utc(TimePoint t) {
  std::time_t tt = to_unix(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace portier
