#include "assistance/day_parts.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <set>

#include "assistance/callback_slots.h"
#include "assistance/request_reference.h"

namespace portier {
namespace {

// Parts of days are read on the local wall clock: these tests pin the zone to UTC.
class DayPartsTest : public ::testing::Test {
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
  std::tm tm{};
  tm.tm_year = 127;  // January 2027, UTC
  tm.tm_mon = 0;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  return from_unix(timegm(&tm));
}

TEST_F(DayPartsTest, EachOpenDayGivesAMorningAndAnAfternoonFromItsFirstOpenSlot) {
  OpeningHours hours;  // Monday to Friday, 9:00 to 18:00, 30 minutes, one hour's notice
  hours.days_ahead = 2;
  auto parts = part_choices(callback_slots(hours, clock.now() + std::chrono::hours(2)));  // Friday 10:00
  ASSERT_EQ(parts.size(), 4u);
  // Friday: the morning starts at the first slot still open (11:00), not at opening.
  EXPECT_EQ(parts[0].start, at(15, 11));
  EXPECT_EQ(parts[0].last, at(15, 11, 30));
  EXPECT_EQ(parts[0].part, DayPart::Morning);
  EXPECT_EQ(parts[1].start, at(15, 12));
  EXPECT_EQ(parts[1].last, at(15, 17, 30));
  EXPECT_EQ(parts[1].part, DayPart::Afternoon);
  // Then Monday (the weekend is closed).
  EXPECT_EQ(parts[2].start, at(18, 9));
  EXPECT_EQ(parts[2].day_key, 20270118);
  EXPECT_EQ(parts[3].start, at(18, 12));
}

TEST_F(DayPartsTest, ADayWhoseMorningIsOverOffersTheAfternoonOnly) {
  OpeningHours hours;
  hours.days_ahead = 1;
  auto parts = part_choices(callback_slots(hours, at(15, 13)));
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].part, DayPart::Afternoon);
  EXPECT_EQ(parts[0].start, at(15, 14));
}

TEST_F(DayPartsTest, StaffTypedDayAndHourFindOnlyAnOfferedSlot) {
  OpeningHours hours;
  auto offered = callback_slots(hours, clock.now());
  EXPECT_EQ(offered_at(offered, "2027-01-15", "14:30"), at(15, 14, 30));
  EXPECT_EQ(offered_at(offered, "2027-01-18", "09:00"), at(18, 9));
  EXPECT_FALSE(offered_at(offered, "2027-01-15", "14:45")) << "between two slots";
  EXPECT_FALSE(offered_at(offered, "2027-01-15", "18:00")) << "closing time";
  EXPECT_FALSE(offered_at(offered, "2027-01-15", "08:30")) << "before opening";
  EXPECT_FALSE(offered_at(offered, "2027-01-16", "10:00")) << "a Saturday";
  EXPECT_FALSE(offered_at(callback_slots(hours, at(15, 10)), "2027-01-15", "10:30")) << "within the hour's notice";
  EXPECT_FALSE(offered_at(offered, "2027-03-15", "10:00")) << "beyond the days offered";
  EXPECT_FALSE(offered_at(offered, "15/01/2027", "10:00"));
  EXPECT_FALSE(offered_at(offered, "2027-01-15", ""));
}

TEST_F(DayPartsTest, LabelsNameTheDayAndThePart) {
  EXPECT_EQ(day_label(at(15, 9), "fr"), "vendredi 15 janvier");
  EXPECT_EQ(day_label(at(1, 9), "fr"), "vendredi 1er janvier");
  EXPECT_EQ(day_label(at(1, 9), "en"), "Friday 1 January");
  EXPECT_EQ(part_label(at(15, 9), "fr"), "vendredi 15 janvier, le matin");
  EXPECT_EQ(part_label(at(15, 12), "fr"), "vendredi 15 janvier, l’après-midi");
  EXPECT_EQ(part_label(at(15, 14), "en"), "Friday 15 January, afternoon");
  auto local = local_slot(at(15, 9, 30));
  EXPECT_EQ(local.date, "2027-01-15");
  EXPECT_EQ(local.time, "09:30");
}

class SequenceRandom final : public Random {
public:
  void fill(unsigned char* out, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<unsigned char>(next_++);
  }
  unsigned next_ = 0;
};

TEST(RequestReference, FourUnambiguousCharactersDrawnUniformly) {
  SequenceRandom random;
  EXPECT_EQ(new_request_reference(random), "A-2345");
  for (char c : std::string_view("01OILU")) EXPECT_EQ(kReferenceAlphabet.find(c), std::string_view::npos) << c;
  EXPECT_EQ(kReferenceAlphabet.size(), 30u);
  // Bytes from 240 up are drawn again rather than folded onto the first
  // symbols: 256 is not a multiple of 30.
  random.next_ = 238;
  auto r = new_request_reference(random);
  EXPECT_EQ(r.substr(0, 4), "A-YZ");  // 238 % 30 = 28, 239 % 30 = 29; then 240 … 255 are skipped
  EXPECT_EQ(r.substr(4), "23");       // 0, 1 after the wrap
  // From the real generator, references rarely repeat (the store draws again when they do).
  SodiumRandom real;
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(new_request_reference(real));
  EXPECT_GT(seen.size(), 195u);
}

}  // namespace
}  // namespace portier
