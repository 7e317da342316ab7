#include "flow/password_choice.h"

#include <gtest/gtest.h>

namespace portier {
namespace {

PasswordPolicy policy() {
  return PasswordPolicy(PasswordPolicyConfig{}, std::make_shared<PasswordBlocklist>(PasswordBlocklist::from_words({})));
}

// As password_context() lists them: portal, identifier, email local part, name words.
const std::vector<std::string> kContext{"Portier", "cmartin", "claire.martin", "Claire", "Martin"};

TEST(PasswordChoice, ATooShortPasswordAndADifferentConfirmationAreBothReported) {
  auto c = choose_password(policy(), "court", "autre", kContext);
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.password_problem, "too_short");
  EXPECT_TRUE(c.mismatch);
  auto fields = c.fields();
  EXPECT_EQ(fields["new_password"], "too_short");
  EXPECT_EQ(fields["confirm_password"], "mismatch");
  EXPECT_EQ(c.encoded(), "too_short;mismatch");
}

TEST(PasswordChoice, TheRefusedWordIsNamedAfterItsKind) {
  auto name = choose_password(policy(), "Martin des champs de blé", "Martin des champs de blé", kContext);
  // In her email address and her name: named once, as her name.
  EXPECT_EQ(name.password_problem, "contains_name:Martin");
  auto id = choose_password(policy(), "cmartin dans les champs", "cmartin dans les champs", kContext);
  // The identifier is not repeated back (she knows it), nor its words as her name.
  EXPECT_EQ(id.password_problem, "contains_identifier");
  auto both = choose_password(policy(), "cmartin et Claire au bord", "cmartin et Claire au bord", kContext);
  EXPECT_EQ(both.password_problem, "contains_identifier|contains_name:Claire");
  auto email = choose_password(policy(), "claire au bord de la mer", "claire au bord de la mer",
                               {"Portier", "cm", "claire.m", "Dr", "Lune"});
  EXPECT_EQ(email.password_problem, "contains_email:claire");
  auto portal = choose_password(policy(), "portier des étoiles filantes", "portier des étoiles filantes", kContext);
  EXPECT_EQ(portal.password_problem, "contains_portal:Portier");
}

TEST(PasswordChoice, AWordOfTheIdentifierThatIsHerNameIsNamedAsHerName) {
  const std::vector<std::string> claire{"Portier", "claire.martin", "claire.martin", "Claire", "Martin"};
  auto c = choose_password(policy(), "Martin des bois tranquilles", "Martin des bois tranquilles", claire);
  EXPECT_EQ(c.password_problem, "contains_name:Martin");
  auto whole = choose_password(policy(), "claire.martin des bois", "claire.martin des bois", claire);
  EXPECT_EQ(whole.password_problem, "contains_identifier");
}

TEST(PasswordChoice, AnAcceptablePasswordIsNormalised) {
  auto c = choose_password(policy(), "Chevaux verts sous la pluie", "Chevaux verts sous la pluie", kContext);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c.normalized, "Chevaux verts sous la pluie");
  EXPECT_TRUE(c.fields().empty());
  EXPECT_EQ(c.encoded(), "");
}

TEST(PasswordChoice, AGoodPasswordWithADifferentConfirmationIsRefusedOnTheConfirmationOnly) {
  auto c = choose_password(policy(), "Chevaux verts sous la pluie", "Chevaux verts sous la pluie!", kContext);
  EXPECT_FALSE(c.ok());
  auto fields = c.fields("password");
  EXPECT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields["confirm_password"], "mismatch");
}

TEST(PasswordChoice, AnEmptyPasswordIsRequiredNotMismatched) {
  auto c = choose_password(policy(), "", "quelque chose", kContext);
  EXPECT_EQ(c.password_problem, "empty");
  EXPECT_FALSE(c.mismatch);
}

TEST(PasswordChoice, DecodingReadsOlderSingleIdsToo) {
  EXPECT_EQ(decode_password_problem("mismatch").at("confirm_password"), "mismatch");
  EXPECT_EQ(decode_password_problem("same_as_temporary").at("new_password"), "same_as_temporary");
  EXPECT_EQ(decode_password_problem(";mismatch").size(), 1u);
  EXPECT_TRUE(decode_password_problem("").empty());
}

}  // namespace
}  // namespace portier
