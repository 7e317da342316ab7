#include "account/search_terms.h"

#include <gtest/gtest.h>

namespace portier {
namespace {

using Words = std::vector<std::string>;

TEST(SearchWords, WordsInAnyOrderLowerCased) {
  EXPECT_EQ(search_words("martin claire"), (Words{"martin", "claire"}));
  EXPECT_EQ(search_words("  Claire   MARTIN "), (Words{"claire", "martin"}));
  // Words joined by punctuation stay one phrase.
  EXPECT_EQ(search_words("claire.martin@example.org"), (Words{"claire martin example org"}));
  EXPECT_EQ(search_words("Martin-Durand claire"), (Words{"martin durand", "claire"}));
}

TEST(SearchWords, TitlesAreDropped) {
  EXPECT_EQ(search_words("Dr Martin"), (Words{"martin"}));
  EXPECT_EQ(search_words("Docteur Claire Martin"), (Words{"claire", "martin"}));
  EXPECT_EQ(search_words("Pr. Hélène Durand"), (Words{"hélène", "durand"}));
  EXPECT_EQ(search_words("Mme Durand"), (Words{"durand"}));
  EXPECT_EQ(search_words("M. Durand"), (Words{"durand"}));
  // A title alone is what the agent looks for (someone named "Docteur").
  EXPECT_EQ(search_words("Docteur"), (Words{"docteur"}));
}

TEST(SearchWords, AccentedLettersStayForTheIndexToFold) {
  EXPECT_EQ(search_words("Hélène"), (Words{"hélène"}));
  EXPECT_EQ(search_words("Zoé Léa"), (Words{"zoé", "léa"}));
}

TEST(SearchWords, ANumberReadOutInPairsIsOneWord) {
  EXPECT_EQ(search_words("06 12 34 56 78"), (Words{"0612345678"}));
  EXPECT_EQ(search_words("+33 6 12 34 56 78"), (Words{"33612345678"}));
  EXPECT_EQ(search_words("06.12.34.56.78"), (Words{"0612345678"}));
  EXPECT_EQ(search_words("10001234567"), (Words{"10001234567"}));
}

TEST(SearchWords, PunctuationAloneGivesNothingAndWordsAreBounded) {
  EXPECT_TRUE(search_words("%").empty());
  EXPECT_EQ(search_words("\"* OR -"), (Words{"or"}));
  EXPECT_EQ(search_words("a_b"), (Words{"a b"}));
  EXPECT_EQ(search_words("a a a b"), (Words{"a", "b"}));
  EXPECT_EQ(search_words("a b c d e f g h i j k").size(), 8u);
  EXPECT_EQ(search_words(std::string(100, 'x'))[0].size(), 64u);
}

}  // namespace
}  // namespace portier
