#include "assistance/callback_slots.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "config/assistance_config.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

// Slots are wall-clock times of the display zone: most tests read them in UTC
// to keep the arithmetic plain; the Paris tests below run under another
// server TZ to show it plays no part.
class CallbackSlotsTest : public ::testing::Test {
protected:
  DisplayTime utc{"UTC"};
  FakeClock clock;  // Friday 15 January 2027, 08:00 UTC
};

TimePoint at(int day, int hour, int minute = 0) {
  // January 2027, UTC.
  std::tm tm{};
  tm.tm_year = 127;
  tm.tm_mon = 0;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  return from_unix(timegm(&tm));
}

TEST_F(CallbackSlotsTest, NextWorkingDaysSkippingTheWeekend) {
  OpeningHours h;  // mon–fri 09:00–18:00, 30 min, 10 days
  h.days_ahead = 2;
  auto slots = callback_slots(h, clock.now(), utc);
  ASSERT_EQ(slots.size(), 36u);                 // Friday and Monday, 18 slots each
  EXPECT_EQ(slots.front(), at(15, 9));           // 09:00 is one hour ahead of 08:00: offered
  EXPECT_EQ(slots[17], at(15, 17, 30));          // the last slot ends at closing time
  EXPECT_EQ(slots[18], at(18, 9));               // then Monday: Saturday and Sunday skipped
}

TEST_F(CallbackSlotsTest, SkipsThePastAndTheNextHour) {
  OpeningHours h;
  h.days_ahead = 1;
  clock.set(at(15, 10, 10));
  auto slots = callback_slots(h, clock.now(), utc);
  ASSERT_FALSE(slots.empty());
  EXPECT_EQ(slots.front(), at(15, 11, 30));  // 11:00 starts in 50 minutes: too soon
  EXPECT_EQ(slots.back(), at(15, 17, 30));
}

TEST_F(CallbackSlotsTest, ADayWithNoSlotLeftDoesNotCount) {
  OpeningHours h;
  h.days_ahead = 1;
  clock.set(at(15, 17, 45));  // Friday after the last slot
  auto slots = callback_slots(h, clock.now(), utc);
  ASSERT_EQ(slots.size(), 18u);
  EXPECT_EQ(slots.front(), at(18, 9));  // Monday
}

TEST_F(CallbackSlotsTest, NoOpeningDaysGivesNothingAndEnds) {
  OpeningHours h;
  h.weekdays.clear();
  EXPECT_TRUE(callback_slots(h, clock.now(), utc).empty());
}

TimePoint utc_at(int year, int month, int day, int hour, int minute = 0) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  return from_unix(timegm(&tm));
}

// The server's TZ is New York: the slots are still Paris opening hours.
class ParisSlotsTest : public ::testing::Test {
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
};

TEST_F(ParisSlotsTest, OpeningHoursAreParisWallClockWhateverTheServerZone) {
  OpeningHours h;
  h.days_ahead = 1;
  // Friday 15 January 2027, 06:00 UTC = 07:00 in Paris (winter, UTC+1).
  auto slots = callback_slots(h, utc_at(2027, 1, 15, 6), paris);
  ASSERT_EQ(slots.size(), 18u);
  EXPECT_EQ(slots.front(), utc_at(2027, 1, 15, 8));       // 09:00 Paris
  EXPECT_EQ(slots.back(), utc_at(2027, 1, 15, 16, 30));   // 17:30 Paris
  EXPECT_EQ(paris.time_of_day(slots.front(), "fr"), "9\u00a0h");
}

TEST_F(ParisSlotsTest, TheSpringChangeMovesTheUtcInstantsNotTheWallClock) {
  OpeningHours h;
  h.days_ahead = 2;
  // Friday 26 March 2027; summer time starts on Sunday 28 March.
  auto slots = callback_slots(h, utc_at(2027, 3, 26, 5), paris);
  ASSERT_EQ(slots.size(), 36u);
  EXPECT_EQ(slots[0], utc_at(2027, 3, 26, 8));   // Friday 09:00 Paris = 08:00 UTC (UTC+1)
  EXPECT_EQ(slots[18], utc_at(2027, 3, 29, 7));  // Monday 09:00 Paris = 07:00 UTC (UTC+2)
  EXPECT_EQ(paris.local(slots[18]).hour, 9);
}

TEST_F(ParisSlotsTest, TheAutumnChangeToo) {
  OpeningHours h;
  h.days_ahead = 2;
  // Friday 29 October 2027; winter time returns on Sunday 31 October.
  auto slots = callback_slots(h, utc_at(2027, 10, 29, 5), paris);
  ASSERT_EQ(slots.size(), 36u);
  EXPECT_EQ(slots[0], utc_at(2027, 10, 29, 7));  // 09:00 Paris = 07:00 UTC (UTC+2)
  EXPECT_EQ(slots[18], utc_at(2027, 11, 1, 8));  // Monday 09:00 Paris = 08:00 UTC (UTC+1)
}

TEST(OpeningHoursParsing, DaysAndTimes) {
  EXPECT_EQ(parse_weekday("mon"), 1);
  EXPECT_EQ(parse_weekday("sun"), 0);
  EXPECT_FALSE(parse_weekday("lundi"));
  EXPECT_EQ(parse_clock_time("09:30"), 9 * 60 + 30);
  EXPECT_FALSE(parse_clock_time("9:30"));
  EXPECT_FALSE(parse_clock_time("24:00"));
}

TEST(AssistanceConfigValidation, ListsEveryProblem) {
  AssistanceConfig c;
  c.days = {"mon", "funday"};
  c.opening = "18:00";
  c.closing = "09:00";
  c.slot_minutes = 1;
  c.days_ahead = 0;
  std::vector<std::string> problems;
  validate_assistance_config(c, problems);
  EXPECT_EQ(problems.size(), 4u);  // funday, closing before opening, slot_minutes, days_ahead
  problems.clear();
  validate_assistance_config(AssistanceConfig{}, problems);
  EXPECT_TRUE(problems.empty());
}

}  // namespace
}  // namespace portier
