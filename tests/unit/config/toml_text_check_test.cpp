#include "config/toml_text_check.h"

#include <gtest/gtest.h>

#include "config/config.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace portier {
namespace {

// Inputs found by tests/fuzz/config_fuzz: toml++ 3.3.0 reached undefined
// behaviour on each of them (marzer/tomlplusplus#190, #295).
TEST(TomlTextCheck, RefusesNonAsciiOutsideQuotesWithItsLine) {
  auto p = toml_text_problem("[sms]\nsucces\xca\x9fs_status = [200]\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->rfind("line 2:", 0), 0u) << *p;
  EXPECT_TRUE(toml_text_problem("closing =\xf4 \"18:00\"\n"));
  EXPECT_TRUE(toml_text_problem("\xcc\xaa"));
}

TEST(TomlTextCheck, RefusesNonAsciiAfterALineEndingBackslash) {
  auto p = toml_text_problem("a = 1\ns = \"\"\"\\\n  \xc2\xa7\"\"\"\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->rfind("line 3:", 0), 0u) << *p;
}

TEST(TomlTextCheck, RefusesAQuoteGluedToAValue) {
  // config_fuzz: toml++ and a naive scan disagreed on where the string began.
  EXPECT_TRUE(toml_text_problem("[server]\nlisten = 0x7f\"127.0.0.1:\xc3\xa9\"\n"));
  // Third finding: a malformed value running into a string (toml++ reads
  // values up to a terminator). The structure is checked on an ASCII copy first.
  auto p = toml_text_problem(std::string("a = 0heX-Srs\0[he=\"xnt\xc3\xa9. Renseignez\"\n", 31));
  ASSERT_TRUE(p);
  EXPECT_NE(p->find("(line 1)"), std::string::npos) << *p;
}

TEST(TomlTextCheck, AcceptsFrenchTextInStringsAndComments) {
  EXPECT_FALSE(toml_text_problem("# Réseau de santé\n[portal]\nname = \"Réseau Santé\"  # é\n"
                                 "legal_notice_fr = '''Éditeur : « ARS »\nhébergeur'''\n"
                                 "contact_fr = \"\"\"Écrivez-nous \\\n  sur contact@example.org, « merci »\"\"\"\n"
                                 "a = [\n  \"é\",\n  'è' ]\nt = { \"k\" = \"ü\" }\n[\"table é\".\"x\"]\n"
                                 "\"clé\" = 'été'\n"));
}

TEST(TomlTextCheck, LoadConfigReportsItInsteadOfParsing) {
  auto path = std::filesystem::temp_directory_path() / ("portier-toml-check-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "[portal]\nlégal = \"x\"\n";
  auto loaded = load_config(path.string());
  std::filesystem::remove(path);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_NE(loaded.problems[0].find("line 2:"), std::string::npos) << loaded.problems[0];
}

}  // namespace
}  // namespace portier
