#include "common/time_format.h"

#include <ctime>

namespace portier {

std::string format_local_time(TimePoint at, std::string_view lang) {
  std::time_t tt = to_unix(at);
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, lang == "fr" ? "%d/%m/%Y à %H:%M (%Z)" : "%Y-%m-%d at %H:%M (%Z)", &tm);
  return buf;
}

}  // namespace portier
