// Sign-in with the email address as well as the identifier: one account,
// one set of counters, whichever is typed; a shared address names no account.
#include <gtest/gtest.h>

#include "admin/account_admin_service.h"
#include "flow/sign_in/sign_in_lookup.h"
#include "flow/sign_in/sign_in_service.h"
#include "storage/stores/sql_lockout_store.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

const Argon2Params kFast{1024, 1, 1};
const char* kPassword = "une longue phrase de passe";

class SignInByEmailTest : public ::testing::Test {
protected:
  testing_support::SqliteStores s;
  SecretHasher secrets{std::string(32, 'k')};
  SodiumRandom random;
  Metrics metrics;
  AuditLog audit{*s.audit, s.clock};
  PasswordHasher hasher{kFast};
  PasswordPolicy policy{PasswordPolicyConfig{}, std::make_shared<PasswordBlocklist>(PasswordBlocklist::from_words({}))};
  SessionService sessions{*s.sessions, secrets, random, s.clock, SessionPolicy{}};
  storage::SqlLockoutStore lockouts{s.db};
  SignInGuard guard{lockouts, secrets, s.clock, LockoutSettings{}};
  DeviceTrust devices{secrets, random};
  SignInService sign_in{*s.accounts, *s.flows, sessions, hasher, policy, audit, secrets, random, s.clock, metrics,
                        guard, devices, nullptr, SignInSettings{15min, "portier"}};
  AccountAdminService admin{*s.accounts, sessions, hasher, policy, audit, random, s.clock, AdminSettings{"portier"}};

  void add(const std::string& id, const std::string& email) {
    auto a = admin.add(NewAccount{id, email, "Dr Test", "", "", Role::Member, kPassword}, std::nullopt, {});
    ASSERT_TRUE(a) << a.error().detail;
  }
  const Rejected* rejected(const Result<SignInOutcome>& r) { return r ? std::get_if<Rejected>(&*r) : nullptr; }
};

TEST_F(SignInByEmailTest, TheAddressSignsInLikeTheIdentifier) {
  add("marie", "marie@example.org");
  auto out = sign_in.submit_password(" Marie@Example.org ", kPassword, {});
  ASSERT_TRUE(out);
  auto* done = std::get_if<SignedIn>(&*out);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->account.identifier, "marie");
}

TEST_F(SignInByEmailTest, IdentifierAndAddressShareOneCountAndTheLastAttemptIsAnnounced) {
  add("marie", "marie@example.org");
  const char* typed[] = {"marie", "marie@example.org", "MARIE", "Marie@example.org"};
  for (int i = 0; i < 4; ++i) {
    auto r = sign_in.submit_password(typed[i], "mauvais", {});
    ASSERT_NE(rejected(r), nullptr) << typed[i];
    // Failures still tolerated: 4, 3, 2, then 1 (the page warns: the next one suspends).
    EXPECT_EQ(rejected(r)->failures_left, 4 - i) << typed[i];
  }
  auto last = sign_in.submit_password("marie", "mauvais", {});
  ASSERT_TRUE(last);
  EXPECT_TRUE(std::holds_alternative<Suspension>(*last)) << "the fifth failure, whichever was typed";
  auto after = sign_in.submit_password("marie@example.org", kPassword, {});
  ASSERT_TRUE(after);
  EXPECT_TRUE(std::holds_alternative<Suspension>(*after)) << "the address is suspended with the identifier";
}

TEST_F(SignInByEmailTest, UnknownNamesCountAlikeAndWarnAlike) {
  add("marie", "marie@example.org");
  for (int i = 0; i < 4; ++i) {
    auto known = sign_in.submit_password("marie@example.org", "mauvais", {});
    auto unknown = sign_in.submit_password("personne@example.org", "mauvais", {});
    ASSERT_NE(rejected(known), nullptr);
    ASSERT_NE(rejected(unknown), nullptr);
    EXPECT_EQ(rejected(known)->failures_left, rejected(unknown)->failures_left);
  }
}

TEST_F(SignInByEmailTest, AnAddressSharedByTwoAccountsNamesNeither) {
  add("dupont", "cabinet@example.org");
  add("durand", "cabinet@example.org");
  auto found = find_sign_in_account(*s.accounts, "cabinet@example.org");
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->account);
  EXPECT_EQ(found->throttle_key, "cabinet@example.org");
  auto r = sign_in.submit_password("cabinet@example.org", kPassword, {});
  ASSERT_NE(rejected(r), nullptr);
  EXPECT_EQ(rejected(r)->reason, RejectReason::InvalidCredentials);
}

TEST_F(SignInByEmailTest, IdentifiersWithAnAtSignAreLookedUpFirst) {
  add("jean@chu", "jean@example.org");
  auto found = find_sign_in_account(*s.accounts, "JEAN@CHU");
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->account);
  EXPECT_EQ(found->account->identifier, "jean@chu");
  EXPECT_EQ(found->throttle_key, "jean@chu");
}

}  // namespace
}  // namespace portier
