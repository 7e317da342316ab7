#include "config/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace portier {
namespace {

std::string write_temp(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("portier-config-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << text;
  return path.string();
}

bool mentions(const std::vector<std::string>& problems, const std::string& key) {
  for (auto& p : problems)
    if (p.find(key) != std::string::npos) return true;
  return false;
}

TEST(ConfigTest, DefaultsAreValid) { EXPECT_TRUE(validate(Config{}).empty()); }

TEST(ConfigTest, ListsEveryProblemAtOnce) {
  Config c;
  c.server.listen = "nope";
  c.portal.primary_colour = "red";
  c.security.argon2_parallelism = 4;
  c.security.password_min_length = 4;
  c.portal.default_language = "de";
  auto p = validate(c);
  EXPECT_TRUE(mentions(p, "server.listen"));
  EXPECT_TRUE(mentions(p, "portal.primary_colour"));
  EXPECT_TRUE(mentions(p, "security.argon2"));
  EXPECT_TRUE(mentions(p, "security.password_min_length"));
  EXPECT_TRUE(mentions(p, "portal.default_language"));
  EXPECT_EQ(p.size(), 5u);
}

TEST(ConfigTest, ReadsTomlAndReportsWrongTypes) {
  auto path = write_temp(
      "[server]\nlisten = \"0.0.0.0:9000\"\nmax_body_bytes = \"big\"\n"
      "[portal]\nname = \"Réseau Santé\"\n");
  auto loaded = load_config(path);
  EXPECT_EQ(loaded.config.server.listen, "0.0.0.0:9000");
  EXPECT_EQ(loaded.config.portal.name, "Réseau Santé");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_TRUE(mentions(loaded.problems, "server.max_body_bytes"));
  std::filesystem::remove(path);
}

TEST(ConfigTest, SyntaxErrorsNameTheLine) {
  auto path = write_temp("[server]\nlisten = \n");
  auto loaded = load_config(path);
  ASSERT_FALSE(loaded.problems.empty());
  EXPECT_TRUE(mentions(loaded.problems, "line 2"));
  std::filesystem::remove(path);
}

TEST(ConfigTest, EnvironmentOverridesFile) {
  auto path = write_temp("[server]\nlisten = \"127.0.0.1:1111\"\n");
  ::setenv("PORTIER_LISTEN", "127.0.0.1:2222", 1);
  ::setenv("PORTIER_DATA_DIR", "/tmp/portier-env", 1);
  auto loaded = load_config(path);
  ::unsetenv("PORTIER_LISTEN");
  ::unsetenv("PORTIER_DATA_DIR");
  EXPECT_EQ(loaded.config.server.listen, "127.0.0.1:2222");
  EXPECT_EQ(loaded.config.database_path(), "/tmp/portier-env/portier.db");
  std::filesystem::remove(path);
}

TEST(ConfigTest, RobotCheckSettingsAreReadAndBounded) {
  auto path = write_temp("[security]\nrobot_hmac_key = \"abc\"\nrobot_challenge_lifetime = 600\nrobot_max_number = 50\n");
  ::setenv("PORTIER_ROBOT_HMAC_KEY", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF", 1);
  auto loaded = load_config(path);
  ::unsetenv("PORTIER_ROBOT_HMAC_KEY");
  EXPECT_EQ(loaded.config.security.robot_challenge_lifetime, std::chrono::seconds(600));
  EXPECT_FALSE(mentions(loaded.problems, "robot_hmac_key"));  // the environment's valid key wins
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_TRUE(mentions(loaded.problems, "security.robot_max_number"));
  Config c;
  c.security.robot_hmac_key = "not hex";
  EXPECT_TRUE(mentions(validate(c), "security.robot_hmac_key"));
  std::filesystem::remove(path);
}

TEST(ConfigTest, RecoverySettingsAreReadAndBounded) {
  auto path = write_temp("[recovery]\nlifetime = 1800\nanswer_floor_ms = 250\nresend_cooldown = 5\nmax_code_attempts = 0\n");
  auto loaded = load_config(path);
  EXPECT_EQ(loaded.config.recovery.lifetime, std::chrono::seconds(1800));
  EXPECT_EQ(loaded.config.recovery.answer_floor, std::chrono::milliseconds(250));
  EXPECT_EQ(loaded.problems.size(), 2u);
  EXPECT_TRUE(mentions(loaded.problems, "recovery.resend_cooldown"));
  EXPECT_TRUE(mentions(loaded.problems, "recovery.max_code_attempts"));
  Config c;
  c.recovery.lifetime = std::chrono::seconds(60);
  c.recovery.answer_floor = std::chrono::milliseconds(10000);
  auto problems = validate(c);
  EXPECT_TRUE(mentions(problems, "recovery.lifetime"));
  EXPECT_TRUE(mentions(problems, "recovery.answer_floor_ms"));
  std::filesystem::remove(path);
}

TEST(ConfigTest, SplitsListenAddresses) {
  std::string host;
  std::uint16_t port = 1;
  EXPECT_TRUE(split_listen("127.0.0.1:0", host, port));
  EXPECT_EQ(port, 0);
  EXPECT_TRUE(split_listen("[::1]:8080", host, port));
  EXPECT_EQ(host, "::1");
  EXPECT_FALSE(split_listen(":8080", host, port));
  EXPECT_FALSE(split_listen("host:99999", host, port));
  EXPECT_FALSE(split_listen("host:", host, port));
}

}  // namespace
}  // namespace portier
