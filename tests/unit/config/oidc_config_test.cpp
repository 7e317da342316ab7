#include "config/oidc_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

bool mentions(const std::vector<std::string>& problems, const std::string& key) {
  for (auto& p : problems)
    if (p.find(key) != std::string::npos) return true;
  return false;
}

TEST(OidcConfigTest, OffByDefaultWithNinetyDayRotation) {
  OidcConfig o;
  EXPECT_FALSE(o.enabled);
  EXPECT_EQ(o.key_rotation_days, 90);
  EXPECT_EQ(o.max_token_lifetime, 24h);
  EXPECT_EQ(o.jwks_max_age, 1h);
  std::vector<std::string> p;
  validate_oidc_config(o, p);
  EXPECT_TRUE(p.empty());
}

TEST(OidcConfigTest, ReadsTheSectionAndRefusesValuesOutOfRange) {
  auto path = std::filesystem::temp_directory_path() / ("portier-oidc-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "[oidc]\nenabled = true\nkey_rotation_days = 30\nmax_token_lifetime = 3600\njwks_max_age = 600\n";
  auto loaded = load_config(path.string());
  EXPECT_TRUE(loaded.problems.empty()) << loaded.problems.front();
  EXPECT_TRUE(loaded.config.oidc.enabled);
  EXPECT_EQ(loaded.config.oidc.key_rotation_days, 30);
  EXPECT_EQ(loaded.config.oidc.max_token_lifetime, 1h);
  EXPECT_EQ(loaded.config.oidc.jwks_max_age, 600s);
  std::ofstream(path) << "[oidc]\nenabled = \"yes\"\n";
  EXPECT_TRUE(mentions(load_config(path.string()).problems, "oidc.enabled"));
  std::filesystem::remove(path);

  OidcConfig bad;
  bad.key_rotation_days = 1;      // keys churned faster than tokens expire
  bad.max_token_lifetime = 7 * 24h;
  bad.jwks_max_age = 0s;
  std::vector<std::string> p;
  validate_oidc_config(bad, p);
  EXPECT_TRUE(mentions(p, "oidc.key_rotation_days"));
  EXPECT_TRUE(mentions(p, "oidc.max_token_lifetime"));
  EXPECT_TRUE(mentions(p, "oidc.jwks_max_age"));
}

}  // namespace
}  // namespace portier
