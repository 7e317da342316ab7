#include "config/email_change_config.h"

#include <gtest/gtest.h>

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

TEST(EmailChangeConfigTest, DefaultsAreSafe) {
  EmailChangeConfig e;
  EXPECT_EQ(e.lifetime, 24h);
  EXPECT_EQ(e.code_length, 12);
  EXPECT_EQ(e.max_code_attempts, 5);
  EXPECT_EQ(e.resend_cooldown, 120s);
  std::vector<std::string> p;
  validate_email_change_config(e, p);
  EXPECT_TRUE(p.empty());
}

TEST(EmailChangeConfigTest, ReadsTheSectionAndRefusesUnsafeValues) {
  auto path = std::filesystem::temp_directory_path() / ("portier-email-change-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "[email_change]\nlifetime = 3600\ncode_length = 16\nmax_code_attempts = 3\nresend_cooldown = 60\n";
  auto loaded = load_config(path.string());
  EXPECT_TRUE(loaded.problems.empty()) << loaded.problems.front();
  EXPECT_EQ(loaded.config.email_change.lifetime, 1h);
  EXPECT_EQ(loaded.config.email_change.code_length, 16);
  EXPECT_EQ(loaded.config.email_change.max_code_attempts, 3);
  EXPECT_EQ(loaded.config.email_change.resend_cooldown, 60s);
  std::filesystem::remove(path);

  EmailChangeConfig bad;
  bad.lifetime = 30s;       // a link nobody has time to open
  bad.code_length = 6;      // guessable in the tries allowed at scale
  bad.max_code_attempts = 0;
  bad.resend_cooldown = 0s;  // a mail cannon
  std::vector<std::string> p;
  validate_email_change_config(bad, p);
  EXPECT_TRUE(mentions(p, "email_change.lifetime"));
  EXPECT_TRUE(mentions(p, "email_change.code_length"));
  EXPECT_TRUE(mentions(p, "email_change.max_code_attempts"));
  EXPECT_TRUE(mentions(p, "email_change.resend_cooldown"));
}

}  // namespace
}  // namespace portier
