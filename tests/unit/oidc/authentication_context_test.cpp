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

TEST(AuthenticationContext, TheCardAndItsPinReachTheHealthCardLevel) {
  auto c = authentication_context("card");
  EXPECT_EQ(c.amr, (std::vector<std::string>{"hwk", "pin", "mfa"}));
  EXPECT_EQ(c.acr, kAcrHealthCard);
  EXPECT_EQ(authentication_context("card+app").acr, kAcrHealthCard);
  EXPECT_EQ(authentication_context("card+app").amr, (std::vector<std::string>{"hwk", "pin", "otp", "mfa"}));
  EXPECT_EQ(authentication_context("card+sms").amr, (std::vector<std::string>{"hwk", "pin", "sms", "mfa"}));
}

TEST(AuthenticationContext, ProSanteConnectReachesTheHealthCardLevel) {
  auto c = authentication_context("psc");
  EXPECT_EQ(c.amr, (std::vector<std::string>{"fed", "mfa"}));
  EXPECT_EQ(c.acr, kAcrHealthCard);
  EXPECT_TRUE(is_health_card("psc"));
  EXPECT_TRUE(is_health_card("card"));
  EXPECT_TRUE(is_health_card("card+sms"));
  EXPECT_FALSE(is_health_card("pwd+app"));
  EXPECT_FALSE(is_health_card("pwd"));
  EXPECT_FALSE(is_health_card("cardx"));
  EXPECT_FALSE(is_health_card(""));
}

TEST(AuthenticationContext, LevelsAreOrderedPasswordTwoFactorsCard) {
  EXPECT_EQ(supported_acr_values(), (std::vector<std::string>{kAcrPassword, kAcrMultiFactor, kAcrHealthCard}));
  EXPECT_TRUE(acr_satisfies(kAcrHealthCard, kAcrMultiFactor));
  EXPECT_TRUE(acr_satisfies(kAcrHealthCard, kAcrPassword));
  EXPECT_TRUE(acr_satisfies(kAcrHealthCard, kAcrHealthCard));
  EXPECT_FALSE(acr_satisfies(kAcrMultiFactor, kAcrHealthCard));
  EXPECT_FALSE(acr_satisfies(kAcrPassword, kAcrHealthCard));
  EXPECT_FALSE(acr_satisfies("", kAcrHealthCard));
}

TEST(AuthenticationContext, TheWantedLevelIsTheWeakestNamed) {
  EXPECT_EQ(wanted_level({kAcrHealthCard}), kAcrHealthCard);
  EXPECT_EQ(wanted_level({kAcrHealthCard, kAcrMultiFactor}), kAcrMultiFactor);
  EXPECT_EQ(wanted_level({"eidas1", kAcrHealthCard}), kAcrHealthCard);
  EXPECT_EQ(wanted_level({"eidas1"}), "");
  EXPECT_EQ(wanted_level({}), "");
}

TEST(AuthenticationContext, AnEstablishmentProviderDeclaredMultiFactorIsTwoFactors) {
  // An establishment's provider declared multi-factor (second_step = false).
  EXPECT_EQ(authentication_context("fed-mfa").amr, (std::vector<std::string>{"fed", "mfa"}));
  EXPECT_EQ(authentication_context("fed-mfa").acr, kAcrMultiFactor);
  EXPECT_FALSE(is_health_card("fed-mfa"));
  EXPECT_FALSE(is_health_card("fed+app"));
}

TEST(AuthenticationContext, AnotherProviderIsOneFactorUntilTheSecondStep) {
  auto c = authentication_context("fed");
  EXPECT_EQ(c.amr, (std::vector<std::string>{"fed"}));
  EXPECT_EQ(c.acr, kAcrPassword);
  EXPECT_EQ(authentication_context("fed+app").amr, (std::vector<std::string>{"fed", "otp", "mfa"}));
  EXPECT_EQ(authentication_context("fed+sms").amr, (std::vector<std::string>{"fed", "sms", "mfa"}));
  EXPECT_EQ(authentication_context("fed+email").acr, kAcrMultiFactor);
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
  // The card level: when no card or PSC way is at hand, the password
  // sign-in gets as close as it can (two factors).
  EXPECT_TRUE(wants_multi_factor({kAcrHealthCard}));
}
