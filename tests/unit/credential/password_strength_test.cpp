// The refusal of common passwords at the lengths portier allows (issue 9,
// item 11): zxcvbn's estimate, the word lists with their normalisation, and
// the member's own words. Uses the Debian lists when installed (they are the
// defaults, installed by scripts/install-deps.sh); no timing asserted.
#include "credential/password_strength.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "credential/password_policy.h"

namespace portier {
namespace {

const std::vector<std::string> kDefaultLists{"/usr/share/dict/french", "/usr/share/dict/american-english",
                                             "/usr/share/john/password.lst"};

std::shared_ptr<const PasswordWordlist> default_lists() {
  static auto lists = [] {
    auto l = PasswordWordlist::from_files(kDefaultLists);
    EXPECT_TRUE(l) << (l ? "" : l.error().detail);
    return std::make_shared<const PasswordWordlist>(l ? std::move(*l) : PasswordWordlist{});
  }();
  return lists;
}

PasswordPolicy default_policy() { return PasswordPolicy(PasswordPolicyConfig{}, default_lists()); }

const std::vector<std::string> kMember{"portier", "jdupont", "Jean Dupont", "jean.dupont"};

TEST(PasswordStrength, RefusesTheFiveExamplesOfTheIssue) {
  auto policy = default_policy();
  for (const char* pw : {"123456789012", "motdepasse123", "azertyuiop12", "soleil123456", "passwordpassword"}) {
    auto r = policy.check(pw, kMember);
    ASSERT_FALSE(r) << "accepted: " << pw;
    EXPECT_TRUE(r.error() == PasswordProblem::Common || r.error() == PasswordProblem::Guessable ||
                r.error() == PasswordProblem::Repetitive)
        << pw << ": " << to_string(r.error());
  }
  // Each is caught by the estimator alone, whatever the lists hold.
  PasswordStrength estimator_only(nullptr);
  for (const char* pw : {"123456789012", "motdepasse123", "azertyuiop12", "soleil123456", "passwordpassword"})
    EXPECT_EQ(estimator_only.weakness(pw, {}), PasswordWeakness::Guessable) << pw;
}

TEST(PasswordStrength, AcceptsPassphrasesAndRandomPasswords) {
  auto policy = default_policy();
  for (const char* pw : {"cheval agrafe pile correcte", "correct horse battery staple", "Lanterne-Garrigue-Phare-31",
                         "une longue phrase de passe", "Xk9#mQ2vL8pR4wZt", "q7R!vT2@pL9$zW4m", "hV3nC8xKb2Lq9sDf"}) {
    auto r = policy.check(pw, kMember);
    EXPECT_TRUE(r) << "refused: " << pw << " (" << (r ? "" : to_string(r.error())) << ")";
  }
}

TEST(PasswordStrength, DictionaryWordsGiveOrTakeDigitsSymbolsAndLeet) {
  auto policy = default_policy();
  for (const char* pw : {"Bienvenue2024!", "S0l3il2024!!", "@@Printemps1986", "Ch@mpignon777", "Extraordinaire",
                         "p@ssw0rd1234", "Anticonstitutionnel"}) {
    auto r = policy.check(pw, kMember);
    ASSERT_FALSE(r) << "accepted: " << pw;
    EXPECT_EQ(r.error(), PasswordProblem::Common) << pw;
  }
}

TEST(PasswordStrength, ListedWordsAreMatchedAfterNormalisation) {
  auto list = PasswordWordlist::from_words({"Soleil", "Éléphant", "winniethepooh"});
  EXPECT_EQ(list.size(), 3u);
  EXPECT_TRUE(list.contains("soleil"));
  EXPECT_TRUE(list.contains(fold_for_comparison("ÉLÉPHANT")));
  EXPECT_FALSE(list.contains("soleils"));
  auto candidates = wordlist_candidates("s0l3il2024!");
  EXPECT_NE(std::find(candidates.begin(), candidates.end(), "soleil"), candidates.end());
  candidates = wordlist_candidates("w1nni3th3p00h");
  EXPECT_NE(std::find(candidates.begin(), candidates.end(), "winniethepooh"), candidates.end());
  // Two letters left after stripping say nothing: "de" is in every dictionary.
  candidates = wordlist_candidates("de8305729461");
  EXPECT_EQ(std::find(candidates.begin(), candidates.end(), "de"), candidates.end());
}

TEST(PasswordStrength, IdentifierNameOrEmailInThePasswordIsRefused) {
  auto policy = default_policy();
  EXPECT_EQ(policy.check("jdupont-cheval-agrafe", kMember).error(), PasswordProblem::ContainsContext);
  EXPECT_EQ(policy.check("Dupont garrigue phare 31", kMember).error(), PasswordProblem::ContainsContext);
  // Short context words are not refused outright, but zxcvbn tries them first.
  EXPECT_LT(PasswordStrength::guesses_log10("jdupont12345", {"jdupont"}),
            PasswordStrength::guesses_log10("jdupont12345", {}));
  // The parts of a name or address count too.
  EXPECT_LT(PasswordStrength::guesses_log10("Dupontel-1987", {"Jean Dupontel"}),
            PasswordStrength::guesses_log10("Dupontel-1987", {}));
}

TEST(PasswordWordlist, MissingListIsAnErrorNamingIt) {
  auto l = PasswordWordlist::from_files({"/usr/share/john/password.lst", "/nonexistent/list.txt"});
  ASSERT_FALSE(l);
  EXPECT_NE(l.error().detail.find("/nonexistent/list.txt"), std::string::npos);
}

TEST(PasswordWordlist, DefaultListsAreLargeAndSmallInMemory) {
  auto lists = default_lists();
  EXPECT_GT(lists->size(), 400'000u);
  EXPECT_LT(lists->memory_bytes(), 8u * 1024 * 1024);  // 8 bytes a word
  EXPECT_TRUE(lists->contains("soleil"));
  EXPECT_TRUE(lists->contains("password"));
  EXPECT_TRUE(lists->contains("éléphant"));
}

}  // namespace
}  // namespace portier
