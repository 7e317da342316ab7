// The ID token's claim rules at their edges: the clock skew is 60 s, no more.
#include "federation/id_token_checks.h"

#include <gtest/gtest.h>

namespace portier::federation {
namespace {

const TimePoint kNow = from_unix(1'800'000'000);

IdTokenExpectations expected() { return {"https://idp.example.test", "reseau", "n0nce", {"eidas1"}, kNow}; }

boost::json::object claims() {
  return {{"iss", "https://idp.example.test"}, {"aud", "reseau"}, {"sub", "s"}, {"exp", to_unix(kNow) + 300},
          {"iat", to_unix(kNow)}, {"nonce", "n0nce"}, {"acr", "eidas1"}};
}

std::string word_of(const boost::json::object& c, const IdTokenExpectations& e = expected()) {
  auto r = check_id_token_claims(c, e);
  return r ? std::string(to_word(r->reason)) : "ok";
}

TEST(IdTokenChecks, ExpiryAndIssueTimeWithinTheSkewOnly) {
  auto c = claims();
  c["exp"] = to_unix(kNow) - 59;
  EXPECT_EQ(word_of(c), "ok");
  c["exp"] = to_unix(kNow) - 60;
  EXPECT_EQ(word_of(c), "token_expired");
  c = claims();
  c["iat"] = to_unix(kNow) + 60;
  EXPECT_EQ(word_of(c), "ok");
  c["iat"] = to_unix(kNow) + 61;
  EXPECT_EQ(word_of(c), "issued_in_future");
  c.erase("iat");
  EXPECT_EQ(word_of(c), "issued_in_future");
  c = claims();
  c["exp"] = "demain";
  EXPECT_EQ(word_of(c), "token_expired");
}

TEST(IdTokenChecks, AcrCheckedOnlyWhenAsked) {
  auto c = claims();
  c.erase("acr");
  EXPECT_EQ(word_of(c), "acr");
  auto e = expected();
  e.acr_values = {};
  EXPECT_EQ(word_of(c, e), "ok");
  e.acr_values = split_words("eidas2  eidas1");
  EXPECT_EQ(e.acr_values.size(), 2u);
  EXPECT_EQ(word_of(claims(), e), "ok");
}

TEST(IdTokenChecks, IssuerAndSubjectMustBeExactStrings) {
  auto c = claims();
  c["iss"] = "https://idp.example.test/";
  EXPECT_EQ(word_of(c), "issuer");
  c = claims();
  c["sub"] = "";
  EXPECT_EQ(word_of(c), "issuer");
  c = claims();
  c["aud"] = boost::json::array{"reseau"};
  EXPECT_EQ(word_of(c), "ok") << "a one-element list needs no azp";
}

}  // namespace
}  // namespace portier::federation
