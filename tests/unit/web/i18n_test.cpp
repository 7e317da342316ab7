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

TEST(TranslationsTest, LoadsBothLanguagesWithTheSameKeys) {
  auto t = Translations::load(std::string(PORTIER_SOURCE_DIR) + "/templates/i18n");
  EXPECT_EQ(t.t("fr", "sign_in_title"), "Connexion");
  EXPECT_EQ(t.t("en", "sign_in_title"), "Sign in");
  EXPECT_EQ(t.t("fr", "no_such_key"), "no_such_key");
  EXPECT_EQ(t.t("en", "problem_too_short", {{"min", "12"}}), "The password must have at least 12 characters.");
}

}  // namespace
}  // namespace portier::web
