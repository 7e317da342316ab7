#include <gtest/gtest.h>

#include "web/i18n.h"

namespace portier::web {
namespace {

TEST(PluralTest, FrenchSingularForZeroAndOne) {
  EXPECT_FALSE(is_plural("fr", 0));
  EXPECT_FALSE(is_plural("fr", 1));
  EXPECT_TRUE(is_plural("fr", 2));
  EXPECT_TRUE(is_plural("en", 0));
  EXPECT_FALSE(is_plural("en", 1));
  EXPECT_TRUE(is_plural("en", 2));
}

TEST(PluralTest, TnPicksTheFormAndFillsTheCount) {
  auto t = Translations::load(std::string(PORTIER_SOURCE_DIR) + "/templates/i18n");
  EXPECT_EQ(t.tn("fr", "console_import_created", 1), "1 compte créé.");
  EXPECT_EQ(t.tn("fr", "console_import_created", 0), "0 compte créé.");
  EXPECT_EQ(t.tn("fr", "console_import_created", 3), "3 comptes créés.");
  EXPECT_EQ(t.tn("en", "console_import_invited", 1), "1 invitation sent.");
  EXPECT_EQ(t.tn("en", "console_import_invited", 0), "0 invitations sent.");
}

TEST(PluralTest, NoStringWritesPluralsWithParentheses) {
  auto t = Translations::load(std::string(PORTIER_SOURCE_DIR) + "/templates/i18n");
  for (const char* lang : {"fr", "en"})
    for (auto& [key, value] : t.strings(lang)) {
      if (!value.is_string()) continue;
      std::string s(value.as_string());
      EXPECT_EQ(s.find("(s)"), std::string::npos) << lang << " " << key << ": " << s;
      EXPECT_EQ(s.find("(es)"), std::string::npos) << lang << " " << key << ": " << s;
    }
}

}  // namespace
}  // namespace portier::web
