// oidc.backchannel_retry_delays: read as whole seconds, refused otherwise.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"
#include "config/oidc_config.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

bool mentions(const std::vector<std::string>& problems, const std::string& key) {
  for (auto& p : problems)
    if (p.find(key) != std::string::npos) return true;
  return false;
}

class OidcLogoutConfigTest : public ::testing::Test {
protected:
  std::filesystem::path path_ =
      std::filesystem::temp_directory_path() / ("portier-oidc-logout-" + std::to_string(::getpid()) + ".toml");
  void TearDown() override { std::filesystem::remove(path_); }
  ConfigLoad load(const std::string& text) {
    std::ofstream(path_) << text;
    return load_config(path_.string());
  }
};

TEST_F(OidcLogoutConfigTest, DefaultsToFiveAttemptsOverAboutTenMinutes) {
  OidcConfig o;
  EXPECT_EQ(o.backchannel_retry_delays, (std::vector<std::chrono::seconds>{30s, 60s, 180s, 300s}));
  std::vector<std::string> p;
  validate_oidc_config(o, p);
  EXPECT_TRUE(p.empty());
}

TEST_F(OidcLogoutConfigTest, ReadsTheDelays) {
  auto loaded = load("[oidc]\nbackchannel_retry_delays = [1, 2, 3]\n");
  ASSERT_TRUE(loaded.problems.empty()) << loaded.problems.front();
  EXPECT_EQ(loaded.config.oidc.backchannel_retry_delays, (std::vector<std::chrono::seconds>{1s, 2s, 3s}));
  auto none = load("[oidc]\nbackchannel_retry_delays = []\n");
  ASSERT_TRUE(none.problems.empty()) << "no retry at all is a choice";
  EXPECT_TRUE(none.config.oidc.backchannel_retry_delays.empty());
}

TEST_F(OidcLogoutConfigTest, RefusesWhatIsNotAListOfSecondsInRange) {
  for (auto text : {"backchannel_retry_delays = 30", "backchannel_retry_delays = [\"1s\"]",
                    "backchannel_retry_delays = [1.5]", "backchannel_retry_delays = [0]",
                    "backchannel_retry_delays = [86401]",
                    "backchannel_retry_delays = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"})
    EXPECT_TRUE(mentions(load(std::string("[oidc]\n") + text + "\n").problems, "oidc.backchannel_retry_delays"))
        << text;
}

}  // namespace
}  // namespace portier
