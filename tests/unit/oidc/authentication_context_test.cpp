#include "oidc/authentication_context.h"

#include <gtest/gtest.h>

using namespace portier::oidc;

TEST(AuthenticationContext, PasswordAloneIsOneFactor) {
  auto c = authentication_context("pwd");
  EXPECT_EQ(c.amr, (std::vector<std::string>{"pwd"}));
  EXPECT_EQ(c.acr, kAcrPassword);
}

TEST(AuthenticationContext, SecondStepsAreNamedHonestly) {
  EXPECT_EQ(authentication_context("pwd+sms").amr, (std::vector<std::string>{"pwd", "sms", "mfa"}));
  EXPECT_EQ(authentication_context("pwd+email").amr, (std::vector<std::string>{"pwd", "otp", "mfa"}));
  EXPECT_EQ(authentication_context("pwd+app").amr, (std::vector<std::string>{"pwd", "otp", "mfa"}));
  EXPECT_EQ(authentication_context("pwd+recovery_code").acr, kAcrMultiFactor);
}

TEST(AuthenticationContext, HigherLevelSatisfiesLower) {
  EXPECT_TRUE(acr_satisfies(kAcrMultiFactor, kAcrPassword));
  EXPECT_TRUE(acr_satisfies(kAcrMultiFactor, kAcrMultiFactor));
  EXPECT_FALSE(acr_satisfies(kAcrPassword, kAcrMultiFactor));
  EXPECT_FALSE(acr_satisfies(kAcrPassword, "eidas1"));
}

TEST(AuthenticationContext, TwoFactorsAreInsistedOnOnlyWhenNothingWeakerWouldDo) {
  EXPECT_TRUE(wants_multi_factor({kAcrMultiFactor}));
  EXPECT_TRUE(wants_multi_factor({"eidas1", kAcrMultiFactor}));  // what we cannot reach is skipped
  EXPECT_FALSE(wants_multi_factor({kAcrMultiFactor, kAcrPassword}));  // the password alone is acceptable
  EXPECT_FALSE(wants_multi_factor({kAcrPassword}));
  EXPECT_FALSE(wants_multi_factor({"eidas1"}));  // nothing portier can reach: voluntary, no insistence
  EXPECT_FALSE(wants_multi_factor({}));
}
