#include "admin/staff_rank.h"

#include <gtest/gtest.h>

namespace portier {
namespace {

Account account(AccountId id, Role role) {
  Account a;
  a.id = id;
  a.identifier = "a" + std::to_string(id);
  a.role = role;
  return a;
}

const Account kMember = account(1, Role::Member);
const Account kOtherMember = account(2, Role::Member);
const Account kSupport = account(3, Role::Support);
const Account kOtherSupport = account(4, Role::Support);
const Account kAdmin = account(5, Role::Admin);
const Account kOtherAdmin = account(6, Role::Admin);

TEST(StaffRankTest, RanksMembersBelowSupportBelowAdministrators) {
  EXPECT_LT(rank_of(Role::Member), rank_of(Role::Support));
  EXPECT_LT(rank_of(Role::Support), rank_of(Role::Admin));
}

TEST(StaffRankTest, SupportActsOnMembersOnly) {
  EXPECT_EQ(refuse_action(kSupport, kMember), std::nullopt);
  EXPECT_EQ(refuse_action(kSupport, kOtherSupport), RankRefusal::SameOrHigherRank);
  EXPECT_EQ(refuse_action(kSupport, kAdmin), RankRefusal::SameOrHigherRank);
}

TEST(StaffRankTest, AdministratorsActOnMembersAndSupportButNotOnOtherAdministrators) {
  EXPECT_EQ(refuse_action(kAdmin, kMember), std::nullopt);
  EXPECT_EQ(refuse_action(kAdmin, kSupport), std::nullopt);
  EXPECT_EQ(refuse_action(kAdmin, kOtherAdmin), RankRefusal::SameOrHigherRank);
}

TEST(StaffRankTest, NobodyActsOnTheirOwnAccountFromTheConsole) {
  EXPECT_EQ(refuse_action(kSupport, kSupport), RankRefusal::OwnAccount);
  EXPECT_EQ(refuse_action(kAdmin, kAdmin), RankRefusal::OwnAccount);
}

TEST(StaffRankTest, MembersActOnNobody) {
  EXPECT_EQ(refuse_action(kMember, kOtherMember), RankRefusal::NotStaff);
  EXPECT_EQ(refuse_action(kMember, kMember), RankRefusal::NotStaff);
}

TEST(StaffRankTest, RoleChangesAreForAdministratorsOnLowerRanks) {
  EXPECT_EQ(refuse_role_change(kAdmin, kMember), std::nullopt);
  EXPECT_EQ(refuse_role_change(kAdmin, kSupport), std::nullopt);
  EXPECT_EQ(refuse_role_change(kAdmin, kOtherAdmin), RankRefusal::SameOrHigherRank);
  EXPECT_EQ(refuse_role_change(kAdmin, kAdmin), RankRefusal::OwnAccount);
  EXPECT_EQ(refuse_role_change(kSupport, kMember), RankRefusal::AdminOnly);
  EXPECT_EQ(refuse_role_change(kSupport, kAdmin), RankRefusal::SameOrHigherRank);
}

TEST(StaffRankTest, OnlyAMembersTemporaryPasswordMayBeShown) {
  EXPECT_TRUE(may_show_temporary_password(kMember));
  EXPECT_FALSE(may_show_temporary_password(kSupport));
  EXPECT_FALSE(may_show_temporary_password(kAdmin));
}

TEST(StaffRankTest, RefusalsHaveStableNamesForTheAuditAndThePages) {
  EXPECT_STREQ(to_string(RankRefusal::OwnAccount), "own_account");
  EXPECT_STREQ(to_string(RankRefusal::SameOrHigherRank), "same_or_higher_rank");
  EXPECT_STREQ(to_string(RankRefusal::NotStaff), "not_staff");
  EXPECT_STREQ(to_string(RankRefusal::AdminOnly), "admin_only");
}

}  // namespace
}  // namespace portier
