// The [card] section: read through the strict ConfigFile, an https origin
// for public_url, one of the two identifier rules, and card_url() falling
// back to server.public_url.
#include "config/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace portier {
namespace {

std::string write_temp(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("portier-card-config-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << text;
  return path.string();
}

bool mentions(const std::vector<std::string>& problems, const std::string& key) {
  for (auto& p : problems)
    if (p.find(key) != std::string::npos) return true;
  return false;
}

TEST(CardConfig, ReadsTheSection) {
  auto path = write_temp(
      "[card]\nenabled = true\npublic_url = \"https://carte.reseau.example\"\nidentifier_rule = \"linked_only\"\n"
      "second_step = true\n");
  auto loaded = load_config(path);
  std::filesystem::remove(path);
  EXPECT_TRUE(loaded.problems.empty()) << loaded.problems.front();
  EXPECT_TRUE(loaded.config.card.enabled);
  EXPECT_EQ(loaded.config.card_url(), "https://carte.reseau.example");
  EXPECT_EQ(loaded.config.card.identifier_rule, "linked_only");
  EXPECT_TRUE(loaded.config.card.second_step);
}

TEST(CardConfig, RefusesWhatCannotWork) {
  auto path = write_temp("[card]\nenabled = \"yes\"\npublic_url = \"http://carte.example/chemin\"\n"
                         "identifier_rule = \"cn\"\nsecond_stepp = true\n");
  auto loaded = load_config(path);
  std::filesystem::remove(path);
  EXPECT_TRUE(mentions(loaded.problems, "card.enabled"));
  EXPECT_TRUE(mentions(loaded.problems, "card.public_url"));
  EXPECT_TRUE(mentions(loaded.problems, "card.identifier_rule"));
  EXPECT_TRUE(mentions(loaded.problems, "second_stepp"));  // unknown key: strict
}

TEST(CardConfig, TheCardListenerDefaultsToTheMainOne) {
  Config c;
  c.server.public_url = "https://portail.example";
  EXPECT_EQ(c.card_url(), "https://portail.example");
  EXPECT_FALSE(c.card.enabled);
  EXPECT_FALSE(mentions(validate(c), "card."));
}

}  // namespace
}  // namespace portier
