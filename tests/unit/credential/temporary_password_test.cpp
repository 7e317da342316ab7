#include "credential/temporary_password.h"

#include <gtest/gtest.h>

#include "common/random.h"

namespace portier {
namespace {

TEST(TemporaryPassword, IssuedInCanonicalFormFromTheUnambiguousAlphabet) {
  SodiumRandom random;
  auto p = make_temporary_password(random);
  ASSERT_EQ(p.size(), 19u);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (i % 5 == 4) EXPECT_EQ(p[i], '-');
    else EXPECT_NE(kTemporaryPasswordAlphabet.find(p[i]), std::string_view::npos) << p;
  }
  EXPECT_EQ(canonical_temporary_password(p), p);
}

TEST(TemporaryPassword, AnyCaseAndSpacingGivesTheCanonicalForm) {
  const std::string canonical = "k7m2-pq9x-abcd-efgh";
  EXPECT_EQ(canonical_temporary_password("K7M2 PQ9X ABCD EFGH"), canonical);
  EXPECT_EQ(canonical_temporary_password("k7m2pq9xabcdefgh"), canonical);
  EXPECT_EQ(canonical_temporary_password("  K7m2-Pq9x-aBcD-eFgH "), canonical);
  EXPECT_EQ(canonical_temporary_password("k7m2.pq9x.abcd.efgh"), canonical);
}

TEST(TemporaryPassword, OtherTextStaysAsTyped) {
  // Not 16 characters of the alphabet: compared as typed, and so refused.
  EXPECT_EQ(canonical_temporary_password("k7m2 pq9x abcd"), "k7m2 pq9x abcd");
  EXPECT_EQ(canonical_temporary_password("k7m2pq9xabcdefgh2"), "k7m2pq9xabcdefgh2");
  EXPECT_EQ(canonical_temporary_password("O7m2pq9xabcdefgh"), "O7m2pq9xabcdefgh");  // O is not in the alphabet
  EXPECT_EQ(canonical_temporary_password("Un vrai mot de passe!"), "Un vrai mot de passe!");
  EXPECT_EQ(canonical_temporary_password(""), "");
}

}  // namespace
}  // namespace portier
