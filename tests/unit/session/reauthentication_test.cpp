#include "session/reauthentication.h"

#include <gtest/gtest.h>

#include "credential/totp.h"
#include "storage/stores/sql_lockout_store.h"
#include "storage/stores/sql_totp_store.h"
#include "support/service_parts.h"

namespace portier {
namespace {

using namespace std::chrono_literals;
using testing_support::kTestPassword;

const ClientInfo kClient{"203.0.113.7", "test"};

class ReauthenticationTest : public ::testing::Test, protected testing_support::ServiceParts {
protected:
  storage::SqlLockoutStore lockouts{s.db};
  storage::SqlTotpStore totp_store{s.db};
  TotpService totp{totp_store, secrets, random, s.clock, "portier"};
  std::vector<AccountId> told;
  Reauthentication reauth{hasher, lockouts, sessions, totp, audit, s.clock,
                          [this](const Account& a, const ClientInfo&) { told.push_back(a.id); }, ReauthSettings{5}};
  Account marie = with_hash(add_member("marie"));

  Account with_hash(const Account& a) { return *s.accounts->find_by_id(a.id); }
  ReauthOutcome check(std::string_view password, std::string_view code = {},
                      ReauthFactor factor = ReauthFactor::PasswordOnly) {
    auto r = reauth.check(marie, {password, code}, factor, "test", kClient);
    EXPECT_TRUE(r) << (r ? "" : r.error().detail);
    return r ? *r : ReauthOutcome{ReauthRefused{}};
  }
  // Enrols marie's app; returns its secret and recovery codes.
  std::pair<std::string, std::vector<std::string>> enrol() {
    auto e = totp.start_enrolment(marie);
    auto secret = *totp::base32_decode(e->secret_base32);
    auto codes = totp.confirm_enrolment(marie.id, totp::generate(secret, s.clock.now()));
    s.clock.advance(30s);
    return {secret, **codes};
  }
  int live_sessions() { return static_cast<int>(sessions.list(marie.id)->size()); }
  int events(const std::string& name) {
    int n = 0;
    auto list = audit.recent_for_account(marie.id, 100);  // kept alive: the loop reads into it
    for (auto& e : *list) n += e.event == name;
    return n;
  }
};

TEST_F(ReauthenticationTest, TheRightPasswordPassesAndIsAudited) {
  EXPECT_TRUE(std::holds_alternative<ReauthPassed>(check(kTestPassword)));
  EXPECT_EQ(events("reauth.success"), 1);
}

TEST_F(ReauthenticationTest, ThePasswordIsNormalisedLikeAtSignIn) {
  // U+FB01 (the "fi" ligature) is NFKC-equal to "fi": the same password as at sign-in.
  auto a = admin.add(NewAccount{"fiona", "fiona@example.org", "Fiona", "", "", Role::Member, "ma ﬁne phrase de passe"},
                     std::nullopt, {});
  ASSERT_TRUE(a);
  auto fiona = with_hash(*a);
  auto r = reauth.check(fiona, {"ma fine phrase de passe"}, ReauthFactor::PasswordOnly, "test", kClient);
  ASSERT_TRUE(r);
  EXPECT_TRUE(std::holds_alternative<ReauthPassed>(*r));
}

TEST_F(ReauthenticationTest, AnEmptyPasswordIsRequiredAndNotCounted) {
  for (int i = 0; i < 10; ++i) {
    auto r = check("");
    ASSERT_TRUE(std::holds_alternative<ReauthRefused>(r));
    EXPECT_EQ(std::get<ReauthRefused>(r).password_problem, "required");
  }
  EXPECT_EQ(events("reauth.failure"), 0);
  EXPECT_TRUE(std::holds_alternative<ReauthPassed>(check(kTestPassword)));
}

TEST_F(ReauthenticationTest, WrongPasswordsCountDownThenEndEverySessionAndTellTheMember) {
  ASSERT_TRUE(sessions.start(marie.id, kClient));
  ASSERT_TRUE(sessions.start(marie.id, kClient));
  for (int left = 4; left >= 1; --left) {
    auto r = check("pas le bon mot de passe");
    ASSERT_TRUE(std::holds_alternative<ReauthRefused>(r));
    EXPECT_EQ(std::get<ReauthRefused>(r).password_problem, "wrong_current");
    EXPECT_EQ(std::get<ReauthRefused>(r).attempts_left, left);
  }
  EXPECT_EQ(live_sessions(), 2);
  EXPECT_TRUE(told.empty());
  EXPECT_TRUE(std::holds_alternative<ReauthLockedOut>(check("pas le bon mot de passe")));
  EXPECT_EQ(live_sessions(), 0);
  EXPECT_EQ(told, std::vector<AccountId>{marie.id});
  EXPECT_EQ(events("reauth.failure"), 5);
  EXPECT_EQ(events("reauth.locked_out"), 1);
  // Signed in again, the member starts from a fresh count.
  auto r = check("pas le bon mot de passe");
  ASSERT_TRUE(std::holds_alternative<ReauthRefused>(r));
  EXPECT_EQ(std::get<ReauthRefused>(r).attempts_left, 4);
}

TEST_F(ReauthenticationTest, ARightAnswerStartsTheCountAgain) {
  for (int i = 0; i < 4; ++i) check("faux");
  EXPECT_TRUE(std::holds_alternative<ReauthPassed>(check(kTestPassword)));
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(std::holds_alternative<ReauthRefused>(check("faux")));
  EXPECT_TRUE(told.empty());
}

TEST_F(ReauthenticationTest, WithoutAnAppOnlyThePasswordIsAsked) {
  EXPECT_TRUE(std::holds_alternative<ReauthPassed>(check(kTestPassword, "", ReauthFactor::AppIfEnrolled)));
}

TEST_F(ReauthenticationTest, WithAnAppItsCodeIsAskedToo) {
  auto [secret, recovery] = enrol();
  auto missing = check(kTestPassword, "", ReauthFactor::AppIfEnrolled);
  ASSERT_TRUE(std::holds_alternative<ReauthRefused>(missing));
  EXPECT_EQ(std::get<ReauthRefused>(missing).app_code_problem, "required");

  auto wrong = check(kTestPassword, "000000", ReauthFactor::AppIfEnrolled);
  ASSERT_TRUE(std::holds_alternative<ReauthRefused>(wrong));
  EXPECT_EQ(std::get<ReauthRefused>(wrong).app_code_problem, "wrong_code");
  EXPECT_TRUE(std::get<ReauthRefused>(wrong).password_problem.empty());

  auto ok = check(kTestPassword, totp::generate(secret, s.clock.now()), ReauthFactor::AppIfEnrolled);
  ASSERT_TRUE(std::holds_alternative<ReauthPassed>(ok));
  EXPECT_TRUE(std::get<ReauthPassed>(ok).used_app);
}

TEST_F(ReauthenticationTest, ARecoveryCodeStandsForTheAppOnceAndAWrongPasswordSpendsNone) {
  auto [secret, recovery] = enrol();
  // The password is wrong: the recovery code is not even looked at.
  auto r = check("faux", recovery[0], ReauthFactor::AppIfEnrolled);
  ASSERT_TRUE(std::holds_alternative<ReauthRefused>(r));
  EXPECT_EQ(std::get<ReauthRefused>(r).password_problem, "wrong_current");
  EXPECT_EQ(*totp.remaining_recovery_codes(marie.id), 10);

  auto ok = check(kTestPassword, recovery[0], ReauthFactor::AppIfEnrolled);
  ASSERT_TRUE(std::holds_alternative<ReauthPassed>(ok));
  EXPECT_TRUE(std::get<ReauthPassed>(ok).used_recovery_code);
  EXPECT_EQ(*totp.remaining_recovery_codes(marie.id), 9);
  EXPECT_TRUE(std::holds_alternative<ReauthRefused>(check(kTestPassword, recovery[0], ReauthFactor::AppIfEnrolled)));
}

TEST_F(ReauthenticationTest, WrongAppCodesCountTowardsTheSameLimit) {
  enrol();
  for (int i = 0; i < 4; ++i) check(kTestPassword, "111111", ReauthFactor::AppIfEnrolled);
  EXPECT_TRUE(std::holds_alternative<ReauthLockedOut>(check(kTestPassword, "111111", ReauthFactor::AppIfEnrolled)));
  EXPECT_EQ(told.size(), 1u);
}

}  // namespace
}  // namespace portier
