#include "web/i18n.h"

#include <gtest/gtest.h>

namespace portier::web {
namespace {

TEST(LanguageTest, ExplicitChoiceWins) { EXPECT_EQ(negotiate_language("en", "fr-FR,fr;q=0.9", "fr"), "en"); }

TEST(LanguageTest, AcceptLanguageByQuality) {
  EXPECT_EQ(negotiate_language("", "de-DE,en;q=0.8,fr;q=0.5", "fr"), "en");
  EXPECT_EQ(negotiate_language("", "en-GB;q=0.4, fr-CA;q=0.9", "en"), "fr");
}

TEST(LanguageTest, FallsBackOnUnknownOrHostileInput) {
  EXPECT_EQ(negotiate_language("de", "", "fr"), "fr");
  EXPECT_EQ(negotiate_language("", "xx;q=abc,,;;=", "fr"), "fr");
  EXPECT_EQ(negotiate_language("", "en;q=nan", "fr"), "fr");
  EXPECT_EQ(negotiate_language("", std::string(5000, ','), "en"), "en");
}

// Found by tests/fuzz/accept_language_fuzz: weights follow RFC 9110's qvalue.
TEST(LanguageTest, WeightsAreQvaluesBetweenZeroAndOne) {
  EXPECT_EQ(negotiate_language("", "en;q=2, fr", "en"), "fr") << "q above 1 is malformed, not a trump";
  EXPECT_EQ(negotiate_language("", "en;q=inf, fr;q=0.1", "en"), "fr");
  EXPECT_EQ(negotiate_language("", "en;q=1e0, fr;q=0.5", "en"), "fr");
  EXPECT_EQ(negotiate_language("", "en;Q=0.1, fr;q=0.5", "en"), "fr") << "the q is case-insensitive";
  EXPECT_EQ(negotiate_language("", "fr;q=0, en;q=0.001", "fr"), "en");
  EXPECT_EQ(negotiate_language("", "fr;q=0.5, en ; q=1.000", "fr"), "en");
  EXPECT_EQ(negotiate_language("", "fr;q=0.5, en;q=0.5000", "en"), "fr") << "four decimals are malformed";
}

TEST(TranslationsTest, LoadsBothLanguagesWithTheSameKeys) {
  auto t = Translations::load(std::string(PORTIER_SOURCE_DIR) + "/templates/i18n");
  EXPECT_EQ(t.t("fr", "sign_in_title"), "Connexion");
  EXPECT_EQ(t.t("en", "sign_in_title"), "Sign in");
  EXPECT_EQ(t.t("fr", "no_such_key"), "no_such_key");
  EXPECT_EQ(t.t("en", "problem_too_short", {{"min", "12"}}), "The password must have at least 12 characters.");
}

}  // namespace
}  // namespace portier::web
