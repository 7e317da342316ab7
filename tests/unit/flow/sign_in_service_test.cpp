#include "flow/sign_in/sign_in_service.h"

#include <gtest/gtest.h>

#include "admin/account_admin_service.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

const Argon2Params kFast{1024, 1, 1};
const char* kPassword = "une longue phrase de passe";

class SignInServiceTest : public ::testing::Test {
protected:
  testing_support::SqliteStores s;
  SecretHasher secrets{std::string(32, 'k')};
  SodiumRandom random;
  Metrics metrics;
  AuditLog audit{*s.audit, s.clock};
  PasswordHasher hasher{kFast};
  PasswordPolicy policy{PasswordPolicyConfig{}, std::make_shared<PasswordBlocklist>(PasswordBlocklist::from_words({}))};
  SessionService sessions{*s.sessions, secrets, random, s.clock, SessionPolicy{}};
  SignInService sign_in{*s.accounts, *s.flows, sessions, hasher, policy, audit, secrets, random, s.clock, metrics,
                        SignInSettings{15min, "portier"}};
  AccountAdminService admin{*s.accounts, sessions, hasher, policy, audit, random, s.clock, AdminSettings{"portier"}};

  Account add(const std::string& id) {
    auto a = admin.add(NewAccount{id, id + "@example.org", "Dr Test", "", "", Role::Member, kPassword}, std::nullopt, {});
    EXPECT_TRUE(a) << (a ? "" : a.error().detail);
    return *a;
  }
};

TEST_F(SignInServiceTest, CorrectPasswordSignsInCaseInsensitively) {
  add("marie");
  auto out = sign_in.submit_password("MARIE", kPassword, {});
  ASSERT_TRUE(out);
  auto* done = std::get_if<SignedIn>(&*out);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->account.identifier, "marie");
  EXPECT_TRUE(sessions.resume(done->session.token));
  EXPECT_TRUE(s.accounts->find_by_identifier("marie")->last_sign_in_at);
}

TEST_F(SignInServiceTest, UnknownAndWrongGiveTheSameOutcome) {
  add("marie");
  auto wrong = sign_in.submit_password("marie", "pas le bon mot de passe", {});
  auto unknown = sign_in.submit_password("nobody", kPassword, {});
  auto invalid = sign_in.submit_password("x", kPassword, {});
  for (auto* r : {&wrong, &unknown, &invalid}) {
    ASSERT_TRUE(*r);
    auto* rejected = std::get_if<Rejected>(&**r);
    ASSERT_NE(rejected, nullptr);
    EXPECT_EQ(rejected->reason, RejectReason::InvalidCredentials);
  }
}

TEST_F(SignInServiceTest, NfkcEquivalentPasswordsMatch) {
  auto a = admin.add(NewAccount{"paul", "paul@example.org", "Paul", "", "", Role::Member, "ﬁne café au lait"},
                     std::nullopt, {});
  ASSERT_TRUE(a);
  auto out = sign_in.submit_password("paul", "fine cafe\xCC\x81 au lait", {});  // decomposed é, plain "fi"
  ASSERT_TRUE(out);
  EXPECT_TRUE(std::holds_alternative<SignedIn>(*out));
}

TEST_F(SignInServiceTest, RehashesWhenParametersChange) {
  add("marie");
  auto before = s.accounts->find_by_identifier("marie")->password_hash;
  EXPECT_NE(before.find("m=1024,t=1"), std::string::npos);
  PasswordHasher stronger{Argon2Params{2048, 2, 1}};
  SignInService upgraded{*s.accounts, *s.flows, sessions, stronger, policy, audit, secrets, random, s.clock, metrics,
                         SignInSettings{}};
  auto out = upgraded.submit_password("marie", kPassword, {});
  ASSERT_TRUE(out);
  ASSERT_TRUE(std::holds_alternative<SignedIn>(*out));
  auto after = s.accounts->find_by_identifier("marie")->password_hash;
  EXPECT_NE(after.find("m=2048,t=2"), std::string::npos);
  EXPECT_TRUE(stronger.verify(after, kPassword));
  // A wrong password never rehashes.
  PasswordHasher third{Argon2Params{4096, 1, 1}};
  SignInService again{*s.accounts, *s.flows, sessions, third, policy, audit, secrets, random, s.clock, metrics, SignInSettings{}};
  ASSERT_TRUE(again.submit_password("marie", "wrong password here", {}));
  EXPECT_EQ(s.accounts->find_by_identifier("marie")->password_hash, after);
}

TEST_F(SignInServiceTest, DisabledAccountIsToldOnlyAfterCorrectPassword) {
  add("marie");
  ASSERT_TRUE(admin.set_status("marie", AccountStatus::Disabled, std::nullopt, {}));
  auto wrong = sign_in.submit_password("marie", "pas le bon mot de passe", {});
  EXPECT_EQ(std::get<Rejected>(*wrong).reason, RejectReason::InvalidCredentials);
  auto right = sign_in.submit_password("marie", kPassword, {});
  EXPECT_EQ(std::get<Rejected>(*right).reason, RejectReason::AccountDisabled);
}

TEST_F(SignInServiceTest, TemporaryPasswordForcesAChangeBeforeAnySession) {
  add("marie");
  auto temp = admin.issue_temporary_password("marie", std::nullopt, {});
  ASSERT_TRUE(temp);
  auto out = sign_in.submit_password("marie", temp->password, {});
  ASSERT_TRUE(out);
  auto* change = std::get_if<PasswordChangeRequired>(&*out);
  ASSERT_NE(change, nullptr);
  EXPECT_TRUE(sessions.list(add("other").id)->empty());

  auto weak = sign_in.submit_new_password(change->flow_token, "short", "short", {});
  ASSERT_TRUE(weak);
  EXPECT_EQ(std::get<NewPasswordRejected>(*weak).problem, "too_short");
  auto same = sign_in.submit_new_password(change->flow_token, temp->password, temp->password, {});
  ASSERT_TRUE(same);
  EXPECT_FALSE(std::holds_alternative<SignedIn>(*same));

  auto done = sign_in.submit_new_password(change->flow_token, "mon nouveau secret de garde", "mon nouveau secret de garde", {});
  ASSERT_TRUE(done);
  ASSERT_TRUE(std::holds_alternative<SignedIn>(*done));
  // Single use: the flow cannot be replayed.
  auto replay = sign_in.submit_new_password(change->flow_token, "encore un autre secret", "encore un autre secret", {});
  ASSERT_FALSE(replay);
  EXPECT_EQ(replay.error().code, ErrorCode::FlowStateInvalid);
  // The temporary password is gone, the new one works directly.
  EXPECT_TRUE(std::holds_alternative<Rejected>(*sign_in.submit_password("marie", temp->password, {})));
  EXPECT_TRUE(std::holds_alternative<SignedIn>(*sign_in.submit_password("marie", "mon nouveau secret de garde", {})));
}

TEST_F(SignInServiceTest, TemporaryPasswordExpiresAfter72Hours) {
  add("marie");
  auto temp = admin.issue_temporary_password("marie", std::nullopt, {});
  s.clock.advance(72h);
  auto out = sign_in.submit_password("marie", temp->password, {});
  ASSERT_TRUE(out);
  EXPECT_EQ(std::get<Rejected>(*out).reason, RejectReason::TemporaryPasswordExpired);
}

TEST_F(SignInServiceTest, PasswordChangeFlowExpires) {
  add("marie");
  auto temp = admin.issue_temporary_password("marie", std::nullopt, {});
  auto out = sign_in.submit_password("marie", temp->password, {});
  auto token = std::get<PasswordChangeRequired>(*out).flow_token;
  s.clock.advance(15min);
  auto late = sign_in.submit_new_password(token, "mon nouveau secret de garde", "mon nouveau secret de garde", {});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::Expired);
}

TEST_F(SignInServiceTest, EveryAttemptIsAudited) {
  auto a = add("marie");
  (void)sign_in.submit_password("marie", "pas le bon mot de passe", {"192.0.2.1", "ua"});
  (void)sign_in.submit_password("marie", kPassword, {"192.0.2.1", "ua"});
  auto events = s.audit->recent_for_account(a.id, 10);
  ASSERT_TRUE(events);
  std::vector<std::string> names;
  for (auto& e : *events) names.push_back(e.event);
  EXPECT_NE(std::find(names.begin(), names.end(), "sign_in.failure"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "sign_in.success"), names.end());
  EXPECT_EQ(events->front().ip, "192.0.2.1");
}

}  // namespace
}  // namespace portier
