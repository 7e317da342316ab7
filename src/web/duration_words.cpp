#include "web/duration_words.h"

namespace portier::web {

std::string duration_words(const Exchange& ex, std::chrono::seconds d) {
  auto s = d.count();
  // Whole hours read as hours; anything else in minutes, rounded up (a
  // warning never announces less than the real wait).
  if (s >= 3600 && s % 3600 == 0) {
    auto h = s / 3600;
    return h == 1 ? ex.t("signin_duration_hour_one") : ex.t("signin_duration_hours", {{"n", std::to_string(h)}});
  }
  auto m = std::max<long long>(1, (s + 59) / 60);
  return m == 1 ? ex.t("signin_duration_minute_one") : ex.t("signin_duration_minutes", {{"n", std::to_string(m)}});
}

}  // namespace portier::web
