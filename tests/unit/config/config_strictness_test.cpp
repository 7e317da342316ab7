// Unknown configuration keys stop start-up with their line numbers (issue 9,
// item 12): a mistyped section or key is reported, never silently ignored.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"
#include "config/config_file.h"

namespace portier {
namespace {

std::string write_temp(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("portier-strict-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << text;
  return path.string();
}

std::vector<std::string> problems_of(const std::string& text) {
  auto path = write_temp(text);
  auto loaded = load_config(path);
  std::filesystem::remove(path);
  return loaded.problems;
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  for (auto& p : problems)
    if (p.find(text) != std::string::npos) return true;
  return false;
}

TEST(ConfigStrictness, MistypedSectionIsReportedWithItsLines) {
  auto p = problems_of("[server]\nlisten = \"127.0.0.1:9000\"\n\n[sever]\nlisten = \"0.0.0.0:80\"\npublic_url = \"x\"\n");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_TRUE(mentions(p, "line 5: unknown key sever.listen"));
  EXPECT_TRUE(mentions(p, "line 6: unknown key sever.public_url"));
}

TEST(ConfigStrictness, MistypedKeyIsReportedAllAtOnce) {
  auto p = problems_of("[mail]\nsmtp_ulr = \"smtp://relay:587\"\n[security]\npassword_min_lenght = 8\n"
                       "[sms]\nheaders = [\"A: b\"]\nheader = \"x\"\n[assistance]\ndays = [\"mon\"]\nopen = \"08:00\"\n");
  EXPECT_EQ(p.size(), 4u);
  EXPECT_TRUE(mentions(p, "line 2: unknown key mail.smtp_ulr"));
  EXPECT_TRUE(mentions(p, "line 4: unknown key security.password_min_lenght"));
  EXPECT_TRUE(mentions(p, "line 7: unknown key sms.header"));
  EXPECT_TRUE(mentions(p, "line 10: unknown key assistance.open"));
}

TEST(ConfigStrictness, EmptyUnknownSectionAndTopLevelKey) {
  auto p = problems_of("lisen = 1\n[serveur]\n[sms]\n[mail]\n");
  ASSERT_EQ(p.size(), 2u);  // empty known sections are fine
  EXPECT_TRUE(mentions(p, "line 1: unknown key lisen"));
  EXPECT_TRUE(mentions(p, "line 2: unknown key serveur"));
}

TEST(ConfigStrictness, TheExampleFileIsValid) {
  auto loaded = load_config(std::string(PORTIER_SOURCE_DIR) + "/portier.toml.example");
  EXPECT_TRUE(loaded.problems.empty()) << loaded.problems.front();
}

TEST(ConfigStrictness, ArraysOfTablesAreCheckedEntryByEntry) {
  ConfigFile file(toml::parse("[[server.listeners]]\naddress = \"a\"\n[[server.listeners]]\naddress = \"b\"\ntls = 1\n"),
                  "f.toml");
  EXPECT_TRUE(file.at_path("server.listeners"));  // the array alone covers none of its tables
  file.at_path("server.listeners[0].address");
  file.at_path("server.listeners[1].address");
  auto unknown = file.unknown_keys();
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0], "f.toml line 5: unknown key server.listeners[1].tls");
}

TEST(ConfigStrictness, OldBlocklistKeyIsRefusedWithTheNewName) {
  auto p = problems_of("[security]\npassword_blocklist = \"/usr/share/john/password.lst\"\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(mentions(p, "security.password_wordlists"));
}

TEST(ConfigStrictness, WordlistsAreReadAndMustExist) {
  auto p = problems_of("[security]\npassword_wordlists = [\"/usr/share/john/password.lst\", \"/nonexistent/mots.txt\"]\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(mentions(p, "cannot read /nonexistent/mots.txt"));
  EXPECT_TRUE(mentions(problems_of("[security]\npassword_wordlists = []\n"), "at least one list"));
  EXPECT_TRUE(mentions(problems_of("[security]\npassword_wordlists = \"/usr/share/dict/french\"\n"), "expected a list"));
}

TEST(ConfigStrictness, EnvironmentOverridesAreNotFileKeys) {
  // PORTIER_* variables set values, never keys: nothing to report, and the
  // file's own keys are still checked.
  ::setenv("PORTIER_LISTEN", "127.0.0.1:2222", 1);
  auto p = problems_of("[server]\nlisten = \"127.0.0.1:1111\"\nlistn = 1\n");
  ::unsetenv("PORTIER_LISTEN");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(mentions(p, "unknown key server.listn"));
  // A bad value from the environment is named as such.
  ::setenv("PORTIER_LISTEN", "nowhere", 1);
  p = problems_of("[server]\nlisten = \"127.0.0.1:1111\"\n");
  ::unsetenv("PORTIER_LISTEN");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(mentions(p, "server.listen (from PORTIER_LISTEN): expected host:port"));
}

}  // namespace
}  // namespace portier
