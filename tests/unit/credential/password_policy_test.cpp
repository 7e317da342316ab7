#include "credential/password_policy.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace portier {
namespace {

PasswordPolicy make_policy(std::vector<std::string> blocked = {}) {
  return PasswordPolicy(PasswordPolicyConfig{},
                        std::make_shared<PasswordBlocklist>(PasswordBlocklist::from_words(std::move(blocked))));
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

PasswordProblem problem(const PasswordPolicy& policy, std::string_view pw, std::vector<std::string> ctx = {}) {
  auto r = policy.check(pw, ctx);
  EXPECT_FALSE(r) << "accepted: " << pw;
  return r ? PasswordProblem::Mismatch : r.error();
}

TEST(PasswordPolicy, AcceptsGoodPassphrase) {
  auto r = make_policy().check("Chevaux verts sous la pluie", {"Portier", "jdupont"});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "Chevaux verts sous la pluie");
}

TEST(PasswordPolicy, Empty) { EXPECT_EQ(problem(make_policy(), ""), PasswordProblem::Empty); }

TEST(PasswordPolicy, LengthCountsCodePoints) {
  auto policy = make_policy();
  EXPECT_TRUE(policy.check("éàèùâêîôûçëï", {}));  // 12 code points, 24 bytes
  EXPECT_EQ(problem(policy, "éàèùâêîôûçë"), PasswordProblem::TooShort);
  EXPECT_EQ(problem(policy, "short one"), PasswordProblem::TooShort);
}

TEST(PasswordPolicy, TooLong) {
  auto policy = make_policy();
  std::string ok = repeat("abcd efgh ", 25) + "ijklmn";  // 256
  EXPECT_TRUE(policy.check(ok, {}));
  EXPECT_EQ(problem(policy, ok + "o"), PasswordProblem::TooLong);
  EXPECT_EQ(problem(policy, std::string(100000, 'x')), PasswordProblem::TooLong);
}

TEST(PasswordPolicy, InvalidUtf8) {
  auto policy = make_policy();
  EXPECT_EQ(problem(policy, "correct horse \xff battery"), PasswordProblem::InvalidUtf8);
  EXPECT_EQ(problem(policy, "overlong \xc0\xaf slash!!"), PasswordProblem::InvalidUtf8);
  EXPECT_EQ(problem(policy, "surrogate \xed\xa0\x80 here"), PasswordProblem::InvalidUtf8);
  EXPECT_FALSE(normalize_password("\xff"));
}

TEST(PasswordPolicy, NormalisesToNfkc) {
  EXPECT_EQ(*normalize_password("\xef\xac\x81"), "fi");                         // U+FB01 ligature
  EXPECT_EQ(*normalize_password("\xef\xbc\xa1\xef\xbd\x82\xef\xbd\x83"), "Abc");  // fullwidth
  EXPECT_EQ(*normalize_password("e\xcc\x81"), "\xc3\xa9");                      // decomposed é → composed
  EXPECT_EQ(*normalize_password(""), "");
  auto policy = make_policy();
  auto composed = policy.check("caf\xc3\xa9 au lait chaud", {});
  auto decomposed = policy.check("cafe\xcc\x81 au lait chaud", {});
  ASSERT_TRUE(composed);
  ASSERT_TRUE(decomposed);
  EXPECT_EQ(*composed, *decomposed);
  EXPECT_EQ(*policy.check("\xef\xac\x81nal answer ok", {}), "final answer ok");
}

TEST(PasswordPolicy, BlocklistIsCaseInsensitive) {
  auto policy = make_policy({"Sunshine12345", "trustno1trustno1"});
  EXPECT_EQ(problem(policy, "sunshine12345"), PasswordProblem::Common);
  EXPECT_EQ(problem(policy, "SUNSHINE12345"), PasswordProblem::Common);
  EXPECT_EQ(problem(policy, "TrustNo1TrustNo1"), PasswordProblem::Common);
  EXPECT_TRUE(policy.check("sunshine12345 and more", {}));  // equality, not substring
}

TEST(PasswordBlocklist, FromFileSkipsComments) {
  auto path = std::filesystem::temp_directory_path() / "portier_blocklist_test.lst";
  std::ofstream(path) << "#!comment: header\nHello\r\n\nworld\n";
  auto list = PasswordBlocklist::from_file(path.string());
  std::filesystem::remove(path);
  EXPECT_EQ(list.size(), 2u);
  EXPECT_TRUE(list.contains("hello"));
  EXPECT_TRUE(list.contains("world"));
  EXPECT_FALSE(list.contains("#!comment: header"));
  EXPECT_EQ(PasswordBlocklist::from_file("/nonexistent/password.lst").size(), 0u);
}

TEST(PasswordBlocklist, JohnList) {
  const std::string path = "/usr/share/john/password.lst";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not installed";
  // "password1234" is not in john's 2011 list; "winniethepooh" is its one entry of 12+ characters.
  std::ifstream in(path);
  bool present = false;
  for (std::string line; std::getline(in, line);) present = present || line == "winniethepooh";
  ASSERT_TRUE(present);
  auto list = std::make_shared<PasswordBlocklist>(PasswordBlocklist::from_file(path));
  EXPECT_GT(list->size(), 3000u);
  EXPECT_TRUE(list->contains("password"));
  PasswordPolicy policy(PasswordPolicyConfig{}, list);
  EXPECT_EQ(problem(policy, "WinnieThePooh"), PasswordProblem::Common);
}

TEST(PasswordPolicy, RejectsContextWords) {
  auto policy = make_policy();
  EXPECT_EQ(problem(policy, "Dupont-hiver-2026", {"dupont"}), PasswordProblem::ContainsContext);
  EXPECT_EQ(problem(policy, "bonjour portier !!", {"Portier"}), PasswordProblem::ContainsContext);
  EXPECT_EQ(problem(policy, "vive jean-claude 99", {"Jean-Claude Dupont"}), PasswordProblem::ContainsContext);
  EXPECT_EQ(problem(policy, "mes amis d'HÉLOÏSE", {"héloïse"}), PasswordProblem::ContainsContext);
  EXPECT_TRUE(policy.check("ma cle est anne-sophie", {"Ann"}));  // words under 4 characters are ignored
}

TEST(PasswordPolicy, RejectsRepetition) {
  auto policy = make_policy();
  EXPECT_EQ(problem(policy, "aaaaaaaaaaaaaa"), PasswordProblem::Repetitive);
  EXPECT_EQ(problem(policy, repeat("é", 12)), PasswordProblem::Repetitive);
  EXPECT_EQ(problem(policy, "abcdefghijklmn"), PasswordProblem::Repetitive);
  EXPECT_EQ(problem(policy, "9876543210/."), PasswordProblem::Repetitive);
  // Not a repetition by this strict rule, but the estimator (zxcvbn) refuses it.
  EXPECT_EQ(problem(policy, "aaaaaaaaaaab"), PasswordProblem::Guessable);
}

TEST(PasswordProblem, StableIds) {
  EXPECT_STREQ(to_string(PasswordProblem::TooShort), "too_short");
  EXPECT_STREQ(to_string(PasswordProblem::ContainsContext), "contains_context");
  EXPECT_STREQ(to_string(PasswordProblem::Mismatch), "mismatch");
  EXPECT_STREQ(to_string(PasswordProblem::Guessable), "guessable");
}

// Every problem at once: a form shows them together rather than one a try.
TEST(PasswordPolicyIssues, ShortAndHoldingANameAreBothReported) {
  auto issues = make_policy().issues("Martin2024", {"Portier", "jdupont", "jean.dupont", "Claire", "Martin"});
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].problem, PasswordProblem::TooShort);
  EXPECT_EQ(issues[1].problem, PasswordProblem::ContainsContext);
  EXPECT_EQ(issues[1].context_index, 4u);
  EXPECT_EQ(issues[1].word, "Martin");  // spelt as in her name, to be named
}

TEST(PasswordPolicyIssues, EachContextEntryFoundIsNamedOnce) {
  auto issues = make_policy().issues("jdupont et Martin font la paire", {"Portier", "jdupont", "jdupont", "Martin"});
  ASSERT_EQ(issues.size(), 3u);
  EXPECT_EQ(issues[0].context_index, 1u);
  EXPECT_EQ(issues[0].word, "jdupont");
  EXPECT_EQ(issues[1].context_index, 2u);
  EXPECT_EQ(issues[2].context_index, 3u);
}

TEST(PasswordPolicyIssues, GuessabilityIsAskedOnlyWhenNothingElseIsWrong) {
  auto policy = make_policy({"soleil"});
  // Short, and a common word: "too short" says enough.
  auto short_one = policy.issues("soleil1", {});
  ASSERT_EQ(short_one.size(), 1u);
  EXPECT_EQ(short_one[0].problem, PasswordProblem::TooShort);
  auto common = policy.issues("soleil123456!", {});
  ASSERT_EQ(common.size(), 1u);
  EXPECT_EQ(common[0].problem, PasswordProblem::Common);
}

TEST(PasswordPolicyIssues, RepetitiveAndShortTogether) {
  auto issues = make_policy().issues("aaaaaa", {});
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].problem, PasswordProblem::TooShort);
  EXPECT_EQ(issues[1].problem, PasswordProblem::Repetitive);
}

TEST(PasswordPolicyIssues, NoneForAGoodPassphraseAndCheckReportsTheFirst) {
  auto policy = make_policy();
  EXPECT_TRUE(policy.issues("Chevaux verts sous la pluie", {"Portier", "jdupont"}).empty());
  EXPECT_EQ(problem(policy, "Martin2024", {"Portier", "martin"}), PasswordProblem::TooShort);
  EXPECT_EQ(policy.issues("", {}).size(), 1u);
  EXPECT_EQ(policy.issues("", {})[0].problem, PasswordProblem::Empty);
}

}  // namespace
}  // namespace portier
