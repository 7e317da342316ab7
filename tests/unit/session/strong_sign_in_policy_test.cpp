#include "session/strong_sign_in_policy.h"

#include <gtest/gtest.h>

using namespace portier;

TEST(StrongSignInPolicy, NobodyIsHeldWithoutRoles) {
  StrongSignInPolicy p({});
  for (auto role : {Role::Member, Role::Support, Role::Admin}) {
    EXPECT_FALSE(p.required_for(role));
    EXPECT_EQ(p.judge(role, "pwd", false), StrongSignInVerdict::Open);
    EXPECT_TRUE(p.allows(role, "pwd", "/mon-espace"));
  }
}

TEST(StrongSignInPolicy, OnlyTheNamedRolesAreHeld) {
  StrongSignInPolicy p({"member", "admin"});
  EXPECT_TRUE(p.required_for(Role::Member));
  EXPECT_FALSE(p.required_for(Role::Support));
  EXPECT_TRUE(p.required_for(Role::Admin));
  EXPECT_EQ(p.judge(Role::Support, "pwd+app", false), StrongSignInVerdict::Open);
}

TEST(StrongSignInPolicy, ThePasswordIsRefusedEvenWithASecondStep) {
  StrongSignInPolicy p({"member"});
  EXPECT_EQ(p.judge(Role::Member, "pwd", false), StrongSignInVerdict::Refuse);
  EXPECT_EQ(p.judge(Role::Member, "pwd+app", false), StrongSignInVerdict::Refuse);
  EXPECT_EQ(p.judge(Role::Member, "pwd+sms", false), StrongSignInVerdict::Refuse);
}

TEST(StrongSignInPolicy, TheCardAndProSanteConnectOpen) {
  StrongSignInPolicy p({"member"});
  EXPECT_EQ(p.judge(Role::Member, "card", false), StrongSignInVerdict::Open);
  EXPECT_EQ(p.judge(Role::Member, "card+app", true), StrongSignInVerdict::Open);
  EXPECT_EQ(p.judge(Role::Member, "psc", false), StrongSignInVerdict::Open);
  EXPECT_TRUE(p.allows(Role::Member, "psc", "/mon-espace"));
  EXPECT_TRUE(p.allows(Role::Member, "card", "/autorisation/reprise"));
}

TEST(StrongSignInPolicy, AWaitingLinkLetsThePasswordThroughForTheLinkOnly) {
  StrongSignInPolicy p({"member"});
  EXPECT_EQ(p.judge(Role::Member, "pwd+email", true), StrongSignInVerdict::LinkOnly);
  EXPECT_TRUE(p.allows(Role::Member, "pwd+email", "/carte-cps/liaison"));
  EXPECT_TRUE(p.allows(Role::Member, "pwd+email", "/federation/liaison"));
  EXPECT_TRUE(p.allows(Role::Member, "pwd+email", "/deconnexion"));
  for (auto path : {"/mon-espace", "/autorisation/reprise", "/autorisation/consentement", "/authorize",
                    "/support", "/federation/psc", "/federation/psc/liaison", "/federation/liaison/x",
                    "/carte-cps/liaisonx", "/mon-espace/carte-cps/liaison"})
    EXPECT_FALSE(p.allows(Role::Member, "pwd+email", path)) << path;
}

TEST(StrongSignInPolicy, LinkPaths) {
  EXPECT_TRUE(StrongSignInPolicy::is_link_path("/carte-cps/liaison"));
  EXPECT_TRUE(StrongSignInPolicy::is_link_path("/federation/liaison"));
  EXPECT_FALSE(StrongSignInPolicy::is_link_path("/federation/psc/liaison"));
  EXPECT_FALSE(StrongSignInPolicy::is_link_path("/federation/psc/retour"));
}
