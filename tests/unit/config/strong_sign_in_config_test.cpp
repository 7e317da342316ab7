// security.strong_sign_in_roles: known roles only, and a way to obey them
// (the card or a Pro Santé Connect provider), or start-up stops.
#include "config/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace portier {
namespace {

std::string write_temp(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("portier-strong-config-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << text;
  return path.string();
}

bool mentions(const std::vector<std::string>& problems, const std::string& key) {
  for (auto& p : problems)
    if (p.find(key) != std::string::npos) return true;
  return false;
}

FederationProviderConfig provider(std::string id, std::string preset) {
  FederationProviderConfig p;
  p.id = std::move(id);
  p.preset = std::move(preset);
  return p;
}

TEST(StrongSignInConfig, NobodyByDefault) {
  Config c;
  EXPECT_TRUE(c.security.strong_sign_in_roles.empty());
  EXPECT_FALSE(mentions(validate(c), "strong_sign_in_roles"));
}

TEST(StrongSignInConfig, ReadsTheList) {
  auto path = write_temp("[security]\nstrong_sign_in_roles = [\"member\", \"admin\"]\n[card]\nenabled = true\n");
  auto loaded = load_config(path);
  std::filesystem::remove(path);
  EXPECT_FALSE(mentions(loaded.problems, "strong_sign_in_roles"));
  EXPECT_EQ(loaded.config.security.strong_sign_in_roles, (std::vector<std::string>{"member", "admin"}));
}

TEST(StrongSignInConfig, RefusesAnUnknownRole) {
  Config c;
  c.card.enabled = true;
  c.security.strong_sign_in_roles = {"member", "doctor"};
  auto problems = validate(c);
  EXPECT_TRUE(mentions(problems, "security.strong_sign_in_roles: unknown role 'doctor'"));
}

TEST(StrongSignInConfig, RefusesAPolicyNobodyCouldObey) {
  Config c;
  c.security.strong_sign_in_roles = {"member"};
  EXPECT_TRUE(mentions(validate(c), "security.strong_sign_in_roles: needs [card]"));
  // An establishment's own provider is not the card level.
  c.federation.providers.push_back(provider("etab", "oidc"));
  EXPECT_TRUE(c.health_card_providers().empty());
  EXPECT_TRUE(mentions(validate(c), "security.strong_sign_in_roles: needs [card]"));
  c.federation.providers.push_back(provider("psc", "psc-sandbox"));
  EXPECT_EQ(c.health_card_providers(), (std::vector<std::string>{"psc"}));
  EXPECT_FALSE(mentions(validate(c), "security.strong_sign_in_roles"));
  c.federation.providers.clear();
  c.card.enabled = true;
  EXPECT_FALSE(mentions(validate(c), "security.strong_sign_in_roles"));
}

TEST(StrongSignInConfig, ANonListIsRefused) {
  auto path = write_temp("[security]\nstrong_sign_in_roles = \"member\"\n");
  auto loaded = load_config(path);
  std::filesystem::remove(path);
  EXPECT_TRUE(mentions(loaded.problems, "security.strong_sign_in_roles"));
}

}  // namespace
}  // namespace portier
