#include "account/identifiers.h"

#include <gtest/gtest.h>

namespace portier {
namespace {

TEST(IdentifierTest, LowerCasesAndTrims) { EXPECT_EQ(normalize_identifier("  Jean.Dupont "), "jean.dupont"); }

TEST(IdentifierTest, RejectsBadCharactersAndLengths) {
  EXPECT_FALSE(normalize_identifier("ab"));
  EXPECT_FALSE(normalize_identifier(std::string(65, 'a')));
  EXPECT_FALSE(normalize_identifier("jean dupont"));
  EXPECT_FALSE(normalize_identifier("jéan"));
  EXPECT_FALSE(normalize_identifier("a'; DROP TABLE accounts;--"));
}

TEST(EmailTest, AcceptsAndLowerCasesDomain) {
  EXPECT_EQ(normalize_email(" Marie.Curie@CHU-Lyon.FR "), "Marie.Curie@chu-lyon.fr");
}

TEST(EmailTest, RejectsMalformed) {
  for (auto bad : {"", "marie", "@x.fr", "marie@", "marie@localhost", "a@b@c.fr", "a b@c.fr", "a@c..fr", "a@.c.fr",
                   "<a@c.fr>", "a@c.fr\r\nBcc: x@y.fr"})
    EXPECT_FALSE(normalize_email(bad)) << bad;
}

TEST(PhoneTest, NationalNumbersUseTheDefaultCountry) {
  EXPECT_EQ(normalize_phone("06 12 34 56 78", "+33"), "+33612345678");
  EXPECT_EQ(normalize_phone("06.12.34.56.78", "+33"), "+33612345678");
  EXPECT_EQ(normalize_phone("0033 6 12 34 56 78", "+33"), "+33612345678");
  EXPECT_EQ(normalize_phone("+32 470 12 34 56", "+33"), "+32470123456");
}

TEST(PhoneTest, RejectsGarbage) {
  for (auto bad : {"", "abc", "612345678", "+0612345678", "06 12", "+33 6 12 34 56 78 90 12 34", "06-12-34-56-7x", "++33612345678"})
    EXPECT_FALSE(normalize_phone(bad, "+33")) << bad;
}

TEST(RppsTest, ElevenDigits) {
  EXPECT_EQ(normalize_rpps("10001234567"), "10001234567");
  EXPECT_FALSE(normalize_rpps("1000123456"));
  EXPECT_FALSE(normalize_rpps("1000123456a"));
}

}  // namespace
}  // namespace portier
