#include "assistance/callback_slots.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "config/assistance_config.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

// Slots are local wall-clock times: these tests pin the zone to UTC.
class CallbackSlotsTest : public ::testing::Test {
protected:
  void SetUp() override {
    if (const char* tz = std::getenv("TZ")) saved_ = tz;
    setenv("TZ", "UTC", 1);
    tzset();
  }
  void TearDown() override {
    if (saved_) setenv("TZ", saved_->c_str(), 1);
    else unsetenv("TZ");
    tzset();
  }
  std::optional<std::string> saved_;
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
  auto slots = callback_slots(h, clock.now());
  ASSERT_EQ(slots.size(), 36u);                 // Friday and Monday, 18 slots each
  EXPECT_EQ(slots.front(), at(15, 9));           // 09:00 is one hour ahead of 08:00: offered
  EXPECT_EQ(slots[17], at(15, 17, 30));          // the last slot ends at closing time
  EXPECT_EQ(slots[18], at(18, 9));               // then Monday: Saturday and Sunday skipped
}

TEST_F(CallbackSlotsTest, SkipsThePastAndTheNextHour) {
  OpeningHours h;
  h.days_ahead = 1;
  clock.set(at(15, 10, 10));
  auto slots = callback_slots(h, clock.now());
  ASSERT_FALSE(slots.empty());
  EXPECT_EQ(slots.front(), at(15, 11, 30));  // 11:00 starts in 50 minutes: too soon
  EXPECT_EQ(slots.back(), at(15, 17, 30));
}

TEST_F(CallbackSlotsTest, ADayWithNoSlotLeftDoesNotCount) {
  OpeningHours h;
  h.days_ahead = 1;
  clock.set(at(15, 17, 45));  // Friday after the last slot
  auto slots = callback_slots(h, clock.now());
  ASSERT_EQ(slots.size(), 18u);
  EXPECT_EQ(slots.front(), at(18, 9));  // Monday
}

TEST_F(CallbackSlotsTest, NoOpeningDaysGivesNothingAndEnds) {
  OpeningHours h;
  h.weekdays.clear();
  EXPECT_TRUE(callback_slots(h, clock.now()).empty());
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
