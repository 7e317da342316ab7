#include "common/display_time.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "common/time_format.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

TimePoint utc(int year, int month, int day, int hour, int minute = 0) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  return from_unix(timegm(&tm));
}

const std::string nb = "\u00a0";  // the no-break spaces inside "13 h 30"

// The server's own TZ is New York during these tests: nothing shown may
// depend on it.
class DisplayTimeTest : public ::testing::Test {
protected:
  void SetUp() override {
    if (const char* tz = std::getenv("TZ")) saved_ = tz;
    setenv("TZ", "America/New_York", 1);
    tzset();
  }
  void TearDown() override {
    if (saved_) setenv("TZ", saved_->c_str(), 1);
    else unsetenv("TZ");
    tzset();
  }
  std::optional<std::string> saved_;
  DisplayTime paris{"Europe/Paris"};
  TimePoint now = utc(2026, 12, 3, 12);  // Thursday 3 December 2026, 13:00 in Paris
};

TEST_F(DisplayTimeTest, FrenchDateAndTime) {
  EXPECT_EQ(paris.date_time(utc(2026, 12, 3, 12, 30), "fr", now), "jeudi 3 décembre à 13" + nb + "h" + nb + "30");
  EXPECT_EQ(paris.time_of_day(utc(2026, 12, 3, 16, 4), "fr"), "17" + nb + "h" + nb + "04");
  EXPECT_EQ(paris.time_of_day(utc(2026, 12, 3, 8), "fr"), "9" + nb + "h");  // whole hours: « 9 h »
  EXPECT_EQ(paris.day(utc(2026, 12, 1, 8), "fr", now), "mardi 1er décembre");
}

TEST_F(DisplayTimeTest, EnglishDateAndTime) {
  EXPECT_EQ(paris.date_time(utc(2026, 12, 3, 12, 30), "en", now), "Thursday 3 December at 1:30 pm");
  EXPECT_EQ(paris.time_of_day(utc(2026, 12, 3, 8), "en"), "9:00 am");
  EXPECT_EQ(paris.time_of_day(utc(2026, 12, 3, 11), "en"), "12:00 pm");  // noon
  EXPECT_EQ(paris.day(utc(2026, 12, 1, 8), "en", now), "Tuesday 1 December");
}

TEST_F(DisplayTimeTest, Midnight) {
  // 23:00 UTC on 3 December is 00:00 on Friday 4 December in Paris.
  EXPECT_EQ(paris.date_time(utc(2026, 12, 3, 23), "fr", now), "vendredi 4 décembre à 0" + nb + "h");
  EXPECT_EQ(paris.date_time(utc(2026, 12, 3, 23, 5), "en", now), "Friday 4 December at 12:05 am");
  EXPECT_EQ(paris.date_time(utc(2026, 12, 3, 22, 59), "fr", now), "jeudi 3 décembre à 23" + nb + "h" + nb + "59");
}

TEST_F(DisplayTimeTest, TheYearOnlyWhenItIsNotThisYear) {
  EXPECT_EQ(paris.day(utc(2025, 12, 1, 8), "fr", now), "lundi 1er décembre 2025");
  EXPECT_EQ(paris.date_time(utc(2027, 1, 4, 8), "en", now), "Monday 4 January 2027 at 9:00 am");
}

TEST_F(DisplayTimeTest, SpringChangeLastSundayOfMarch) {
  // Sunday 29 March 2026: at 01:00 UTC Paris goes from 02:00 (UTC+1) to 03:00 (UTC+2).
  EXPECT_EQ(paris.time_of_day(utc(2026, 3, 29, 0, 59), "fr"), "1" + nb + "h" + nb + "59");
  EXPECT_EQ(paris.time_of_day(utc(2026, 3, 29, 1), "fr"), "3" + nb + "h");
  EXPECT_EQ(paris.date_time(utc(2026, 3, 29, 10), "fr", now), "dimanche 29 mars à 12" + nb + "h");
  auto sunday = paris.local(utc(2026, 3, 29, 10));
  EXPECT_EQ(paris.instant(sunday, 9 * 60), utc(2026, 3, 29, 7));        // 09:00 summer time
  EXPECT_EQ(paris.instant(sunday, 1 * 60 + 30), utc(2026, 3, 29, 0, 30));  // 01:30 winter time
  EXPECT_EQ(paris.instant(sunday, 2 * 60 + 30), utc(2026, 3, 29, 1, 30));  // 02:30 does not exist: 03:30
}

TEST_F(DisplayTimeTest, AutumnChangeLastSundayOfOctober) {
  // Sunday 25 October 2026: at 01:00 UTC Paris goes from 03:00 (UTC+2) back to 02:00 (UTC+1).
  EXPECT_EQ(paris.time_of_day(utc(2026, 10, 25, 0, 30), "en"), "2:30 am");
  EXPECT_EQ(paris.time_of_day(utc(2026, 10, 25, 1, 30), "en"), "2:30 am");  // the hour happens twice
  EXPECT_EQ(paris.time_of_day(utc(2026, 10, 25, 12), "fr"), "13" + nb + "h");
  auto sunday = paris.local(utc(2026, 10, 25, 12));
  EXPECT_EQ(paris.instant(sunday, 2 * 60 + 30), utc(2026, 10, 25, 0, 30));  // the first 02:30
  EXPECT_EQ(paris.instant(sunday, 9 * 60), utc(2026, 10, 25, 8));           // 09:00 winter time
}

TEST_F(DisplayTimeTest, AddDaysCrossesTheChanges) {
  auto saturday = paris.local(utc(2026, 3, 28, 12));
  auto monday = paris.add_days(saturday, 2);
  EXPECT_EQ(monday.day, 30);
  EXPECT_EQ(monday.weekday, 1);
  auto next_year = paris.add_days(paris.local(now), 30);
  EXPECT_EQ(next_year.year, 2027);
  EXPECT_EQ(next_year.month, 1);
  EXPECT_EQ(next_year.day, 2);
}

TEST_F(DisplayTimeTest, ValidUntil) {
  EXPECT_EQ(paris.until(now + 10min, now, "fr"), "valable 10 minutes, jusqu’à 13" + nb + "h" + nb + "10");
  EXPECT_EQ(paris.until(now + 10min, now, "en"), "valid for 10 minutes, until 1:10 pm");
  EXPECT_EQ(paris.until(now + 60s, now, "fr"), "valable 1 minute, jusqu’à 13" + nb + "h" + nb + "01");
  EXPECT_EQ(paris.until(now + 72h, now, "fr"),
            "valable 3 jours, jusqu’au dimanche 6 décembre à 13" + nb + "h");
  EXPECT_EQ(paris.until(now + 72h, now, "en"), "valid for 3 days, until Sunday 6 December at 1:00 pm");
}

TEST_F(DisplayTimeTest, MomentIsTheTimeAloneOnTheSameDay) {
  EXPECT_EQ(paris.moment(now + 2h, "fr", now), "15" + nb + "h");
  EXPECT_EQ(paris.moment(now + 24h, "fr", now), "vendredi 4 décembre à 13" + nb + "h");
}

TEST(Durations, LargestWholeUnitRoundedUp) {
  EXPECT_EQ(format_duration(570s, "fr"), "10 minutes");
  EXPECT_EQ(format_duration(1h, "fr"), "1 heure");
  EXPECT_EQ(format_duration(3h, "en"), "3 hours");
  EXPECT_EQ(format_duration(24h * 7, "fr"), "7 jours");
  EXPECT_EQ(format_duration(24h, "en"), "24 hours");
}

TEST(DisplayTimeZones, AnUnknownZoneIsRefused) {
  EXPECT_THROW(DisplayTime("Europe/Atlantis"), std::runtime_error);
  EXPECT_NO_THROW(DisplayTime("UTC"));
}

TEST_F(DisplayTimeTest, NoZoneAbbreviationInWhatMembersRead) {
  auto shown = format_local_time(utc(2026, 7, 14, 10), "fr");  // the process zone: Europe/Paris by default
  EXPECT_EQ(shown.find("UTC"), std::string::npos);
  EXPECT_EQ(shown.find("CE"), std::string::npos);
  EXPECT_NE(shown.find("mardi 14 juillet"), std::string::npos);
  EXPECT_NE(shown.find("12" + nb + "h"), std::string::npos);
}

}  // namespace
}  // namespace portier
