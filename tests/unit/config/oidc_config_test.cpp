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

TEST(OidcConfigTest, TokenLifetimesReadAndBounded) {
  OidcConfig o;
  EXPECT_EQ(o.code_lifetime, 60s);
  EXPECT_EQ(o.access_token_lifetime, 10min);
  EXPECT_EQ(o.id_token_lifetime, 10min);
  EXPECT_EQ(o.refresh_token_lifetime, 30 * 24h);
  EXPECT_EQ(o.refresh_token_idle, 14 * 24h);
  EXPECT_EQ(o.refresh_reuse_grace, 10s);

  auto path = std::filesystem::temp_directory_path() / ("portier-oidc-tokens-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "[oidc]\ncode_lifetime = 30\naccess_token_lifetime = 300\nid_token_lifetime = 900\n"
                         "refresh_token_lifetime = 86400\nrefresh_token_idle = 3600\nrefresh_reuse_grace = 0\n";
  auto loaded = load_config(path.string());
  std::filesystem::remove(path);
  EXPECT_TRUE(loaded.problems.empty()) << (loaded.problems.empty() ? "" : loaded.problems.front());
  EXPECT_EQ(loaded.config.oidc.code_lifetime, 30s);
  EXPECT_EQ(loaded.config.oidc.access_token_lifetime, 5min);
  EXPECT_EQ(loaded.config.oidc.id_token_lifetime, 15min);
  EXPECT_EQ(loaded.config.oidc.refresh_token_lifetime, 24h);
  EXPECT_EQ(loaded.config.oidc.refresh_token_idle, 1h);
  EXPECT_EQ(loaded.config.oidc.refresh_reuse_grace, 0s);

  OidcConfig bad;
  bad.max_token_lifetime = 1h;
  bad.access_token_lifetime = 2h;  // signed tokens outliving their key's publication
  bad.id_token_lifetime = 30s;
  bad.code_lifetime = 3600s;
  bad.refresh_token_idle = 60 * 24h;  // beyond the absolute lifetime
  bad.refresh_reuse_grace = 5min;
  std::vector<std::string> p;
  validate_oidc_config(bad, p);
  for (auto key : {"oidc.access_token_lifetime", "oidc.id_token_lifetime", "oidc.code_lifetime",
                   "oidc.refresh_token_idle", "oidc.refresh_reuse_grace"})
    EXPECT_TRUE(mentions(p, key)) << key;
  EXPECT_FALSE(mentions(p, "oidc.refresh_token_lifetime:"));
}

}  // namespace
}  // namespace portier
