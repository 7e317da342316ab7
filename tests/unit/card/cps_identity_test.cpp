#include "card/cps_identity.h"

#include <gtest/gtest.h>

#include "support/test_pki.h"

using namespace portier;
using card::CardHolder;
using portier::testing_support::TestPki;

namespace {
Result<CardHolder> holder_of(const std::string& card) { return card::card_holder(TestPki::get().read(card + ".der")); }
}  // namespace

TEST(CpsIdentity, ReadsAnRppsCard) {
  auto holder = holder_of("card-valid");
  ASSERT_TRUE(holder) << holder.error().detail;
  EXPECT_EQ(holder->kind, CardHolder::Kind::Rpps);
  EXPECT_EQ(holder->national_id, "899700000013");
  EXPECT_EQ(holder->number, "99700000013");
  EXPECT_EQ(holder->surname, "DUPONT");
  EXPECT_EQ(holder->given_name, "JEAN");
  EXPECT_EQ(holder->title, "Médecin");
}

TEST(CpsIdentity, KeepsUtf8Names) {
  auto holder = holder_of("card-second");
  ASSERT_TRUE(holder) << holder.error().detail;
  EXPECT_EQ(holder->number, "99700000021");
  EXPECT_EQ(holder->surname, "LEFÈVRE");
  EXPECT_EQ(holder->given_name, "ÉLODIE");
  EXPECT_EQ(holder->title, "Pharmacien");
}

TEST(CpsIdentity, ReadsAnEstablishmentStaffCard) {
  auto holder = holder_of("card-establishment");
  ASSERT_TRUE(holder) << holder.error().detail;
  EXPECT_EQ(holder->kind, CardHolder::Kind::Finess);
  EXPECT_EQ(holder->national_id, "3750300005/0001234");
  EXPECT_EQ(holder->number, "750300005");
  EXPECT_EQ(holder->surname, "ROUX");
  EXPECT_EQ(holder->given_name, "CLAIRE");
  EXPECT_EQ(holder->title, "Secrétaire médicale");
}

TEST(CpsIdentity, ReadsAnAdeliCard) {
  auto holder = holder_of("card-adeli");
  ASSERT_TRUE(holder) << holder.error().detail;
  EXPECT_EQ(holder->kind, CardHolder::Kind::Adeli);
  EXPECT_EQ(holder->number, "751234567");
  EXPECT_EQ(holder->surname, "BERNARD");
}

TEST(CpsIdentity, RefusesWhatIsNoCpsCard) {
  auto bad_digit = holder_of("card-bad-check-digit");
  ASSERT_FALSE(bad_digit);
  EXPECT_EQ(bad_digit.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(bad_digit.error().detail.find("check digit"), std::string::npos);
  EXPECT_FALSE(card::card_holder(TestPki::get().der_of_pem("server.pem")));  // CN=localhost
  EXPECT_FALSE(card::card_holder(TestPki::get().der_of_pem("root-ca.pem")));  // CN=AC RACINE TEST
  EXPECT_FALSE(card::card_holder(""));
  EXPECT_FALSE(card::card_holder("junk"));
  auto der = TestPki::get().read("card-valid.der");
  EXPECT_FALSE(card::card_holder(der + "x"));
  EXPECT_FALSE(card::card_holder(der.substr(0, der.size() - 1)));
}

TEST(CpsIdentity, ParsesNationalIdentifiers) {
  // The example: RPPS 10002813839, whose last digit checks.
  auto example = card::parse_national_id("810002813839");
  ASSERT_TRUE(example);
  EXPECT_EQ(example->kind, CardHolder::Kind::Rpps);
  EXPECT_EQ(example->number, "10002813839");
  auto finess_only = card::parse_national_id("3750300005");
  ASSERT_TRUE(finess_only);
  EXPECT_EQ(finess_only->kind, CardHolder::Kind::Finess);
  EXPECT_EQ(finess_only->number, "750300005");
  auto other = card::parse_national_id("5123456789/AB12");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->kind, CardHolder::Kind::Other);
  EXPECT_EQ(other->number, "123456789/AB12");
  EXPECT_STREQ(card::to_string(other->kind), "other");

  for (const std::string& bad : std::vector<std::string>{"", "8", "81000281383", "8100028138390", "810002813838", "81000281383a", "8 10002813839",
                          "07512345", "07512345678", "075123456a", "375030000", "3750300005/", "3750300005/a b",
                          "3750300005/" + std::string(33, '1'), "37503000a5/1", "DUPONT", "A123",
                          "5123-456", "9" + std::string(70, '1')})
    EXPECT_FALSE(card::parse_national_id(bad)) << bad;
}

TEST(CpsIdentity, Luhn) {
  EXPECT_TRUE(card::luhn_valid("10002813839"));
  EXPECT_TRUE(card::luhn_valid("99700000013"));
  EXPECT_FALSE(card::luhn_valid("99700000014"));
  EXPECT_TRUE(card::luhn_valid("79927398713"));  // the textbook example
  EXPECT_FALSE(card::luhn_valid(""));
  EXPECT_FALSE(card::luhn_valid("1234a"));
}
