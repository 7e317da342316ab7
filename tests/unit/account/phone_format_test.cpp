#include "account/phone_format.h"

#include <gtest/gtest.h>

namespace portier {
namespace {

TEST(PhoneFormat, FrenchNumbersInTheirNationalForm) {
  EXPECT_EQ(format_phone("+33612345678"), "06 12 34 56 78");
  EXPECT_EQ(format_phone("+33145678901"), "01 45 67 89 01");
  EXPECT_EQ(format_phone("+33712345678"), "07 12 34 56 78");
}

TEST(PhoneFormat, OtherCountriesKeepTheirCodeAndGoInPairs) {
  EXPECT_EQ(format_phone("+32470123456"), "+32 470 12 34 56");   // Belgium, mobile
  EXPECT_EQ(format_phone("+34612345678"), "+34 612 34 56 78");   // Spain: 9 digits, odd -> 3 first
  EXPECT_EQ(format_phone("+352621123456"), "+352 621 12 34 56"); // Luxembourg, three-digit code
  EXPECT_EQ(format_phone("+262692123456"), "+262 692 12 34 56"); // Réunion is its own code
  EXPECT_EQ(format_phone("+12125551234"), "+1 212 555 1234");
  EXPECT_EQ(format_phone("+4915112345678"), "+49 151 12 34 56 78");
}

TEST(PhoneFormat, WhatIsNotE164ComesBackUnchanged) {
  EXPECT_EQ(format_phone(""), "");
  EXPECT_EQ(format_phone("0612345678"), "0612345678");
  EXPECT_EQ(format_phone("+33 6 12"), "+33 6 12");
  EXPECT_EQ(format_phone("+3361234567890123"), "+3361234567890123");
}

TEST(PhoneFormat, TapToCallLinksCarryTheGlobalNumber) {
  EXPECT_EQ(phone_href("+33612345678"), "tel:+33612345678");
  EXPECT_EQ(phone_href("0612345678"), "");
  EXPECT_EQ(phone_href("+33<script>"), "");
}

}  // namespace
}  // namespace portier
