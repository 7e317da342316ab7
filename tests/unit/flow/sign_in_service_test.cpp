#include "flow/sign_in/sign_in_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "admin/account_admin_service.h"
#include "admin/lockout_admin_service.h"
#include "storage/stores/sql_lockout_store.h"
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
  storage::SqlLockoutStore lockouts{s.db};
  SignInGuard guard{lockouts, secrets, s.clock, LockoutSettings{}};
  DeviceTrust devices{secrets, random};
  std::vector<std::string> notices;  // identifiers whose member was told of a suspension
  SignInService sign_in{*s.accounts, *s.flows, sessions, hasher, policy, audit, secrets, random, s.clock, metrics,
                        guard, devices, [this](const Account& a, const Suspension&) { notices.push_back(a.identifier); },
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
                         guard, devices, nullptr, SignInSettings{}};
  auto out = upgraded.submit_password("marie", kPassword, {});
  ASSERT_TRUE(out);
  ASSERT_TRUE(std::holds_alternative<SignedIn>(*out));
  auto after = s.accounts->find_by_identifier("marie")->password_hash;
  EXPECT_NE(after.find("m=2048,t=2"), std::string::npos);
  EXPECT_TRUE(stronger.verify(after, kPassword));
  // A wrong password never rehashes.
  PasswordHasher third{Argon2Params{4096, 1, 1}};
  SignInService again{*s.accounts, *s.flows, sessions, third, policy, audit, secrets, random, s.clock, metrics,
                      guard, devices, nullptr, SignInSettings{}};
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

// --- Protection against password guessing (lockout issue) ---

TEST_F(SignInServiceTest, FiveFailuresSuspendUnknownBrowsersForAnHourThenItLifts) {
  add("marie");
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(std::holds_alternative<Rejected>(*sign_in.submit_password("marie", "faux", {})));
  auto fifth = sign_in.submit_password("marie", "faux", {});
  auto* s5 = std::get_if<Suspension>(&*fifth);
  ASSERT_NE(s5, nullptr) << "the fifth failure suspends and says so";
  EXPECT_EQ(s5->until, s.clock.now() + 1h);
  EXPECT_EQ(notices, std::vector<std::string>{"marie"}) << "the member is told once";
  // Even the right password is refused meanwhile, without being checked.
  auto right = sign_in.submit_password("marie", kPassword, {});
  ASSERT_TRUE(std::holds_alternative<Suspension>(*right));
  s.clock.advance(59min);
  EXPECT_TRUE(std::holds_alternative<Suspension>(*sign_in.submit_password("marie", kPassword, {})));
  s.clock.advance(1min);
  EXPECT_TRUE(std::holds_alternative<SignedIn>(*sign_in.submit_password("marie", kPassword, {})));
  EXPECT_EQ(notices.size(), 1u);
}

TEST_F(SignInServiceTest, UnknownIdentifiersAreSuspendedAlike) {
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(std::holds_alternative<Rejected>(*sign_in.submit_password("personne", "faux", {})));
  auto fifth = sign_in.submit_password("personne", "faux", {});
  ASSERT_TRUE(std::holds_alternative<Suspension>(*fifth));
  EXPECT_EQ(std::get<Suspension>(*fifth).until, s.clock.now() + 1h);
  EXPECT_TRUE(notices.empty());
}

TEST_F(SignInServiceTest, TheMembersOwnBrowserStillSignsInDuringASuspension) {
  add("marie");
  auto first = sign_in.submit_password("marie", kPassword, {});
  auto cookie = std::get<SignedIn>(*first).device_cookie;
  ASSERT_FALSE(cookie.empty());
  for (int i = 0; i < 5; ++i) (void)sign_in.submit_password("marie", "attaque", {});
  EXPECT_TRUE(std::holds_alternative<Suspension>(*sign_in.submit_password("marie", kPassword, {})));
  auto own = sign_in.submit_password("marie", kPassword, {}, cookie);
  EXPECT_TRUE(std::holds_alternative<SignedIn>(*own)) << "the stranger's failures do not count against this browser";
  // A forged cookie is a stranger's.
  auto forged = cookie;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_TRUE(std::holds_alternative<Suspension>(*sign_in.submit_password("marie", kPassword, {}, forged)));
}

TEST_F(SignInServiceTest, AKnownBrowserIsSuspendedOnItsOwnAfterFiveFailures) {
  add("marie");
  auto cookie = std::get<SignedIn>(*sign_in.submit_password("marie", kPassword, {})).device_cookie;
  for (int i = 0; i < 4; ++i) (void)sign_in.submit_password("marie", "faux", {}, cookie);
  EXPECT_TRUE(std::holds_alternative<Suspension>(*sign_in.submit_password("marie", "faux", {}, cookie)));
  EXPECT_TRUE(std::holds_alternative<SignedIn>(*sign_in.submit_password("marie", kPassword, {})))
      << "unknown browsers were not suspended by the known one's failures";
}

TEST_F(SignInServiceTest, TheCeilingLocksUntilResetOrUnlock) {
  add("marie");
  // 100 consecutive failures from many browsers, waiting out each suspension.
  int failures = 0;
  std::string cookie = std::get<SignedIn>(*sign_in.submit_password("marie", kPassword, {})).device_cookie;
  std::optional<Suspension> last;
  while (failures < 100) {
    auto r = sign_in.submit_password("marie", "faux", {}, failures % 10 < 5 ? "" : cookie);
    ++failures;
    if (auto* sus = std::get_if<Suspension>(&*r)) {
      last = *sus;
      if (sus->until_reset) break;
      s.clock.advance(61min);
    }
  }
  ASSERT_TRUE(last && last->until_reset);
  EXPECT_EQ(failures, 100);
  s.clock.advance(48h);
  auto r = sign_in.submit_password("marie", kPassword, {}, cookie);
  ASSERT_TRUE(std::holds_alternative<Suspension>(*r));
  EXPECT_TRUE(std::get<Suspension>(*r).until_reset) << "time does not lift the ceiling, even for a known browser";
  LockoutAdminService support{*s.accounts, lockouts, audit, s.clock};
  ASSERT_TRUE(support.unlock("marie", std::nullopt, {}));
  EXPECT_TRUE(std::holds_alternative<SignedIn>(*sign_in.submit_password("marie", kPassword, {}, cookie)));
}

TEST_F(SignInServiceTest, ASuccessStartsTheCountAgain) {
  add("marie");
  for (int i = 0; i < 4; ++i) (void)sign_in.submit_password("marie", "faux", {});
  ASSERT_TRUE(std::holds_alternative<SignedIn>(*sign_in.submit_password("marie", kPassword, {})));
  for (int i = 0; i < 4; ++i)
    EXPECT_TRUE(std::holds_alternative<Rejected>(*sign_in.submit_password("marie", "faux", {})));
}

TEST_F(SignInServiceTest, FailuresFarApartAreNotConsecutive) {
  add("marie");
  for (int i = 0; i < 4; ++i) (void)sign_in.submit_password("marie", "faux", {});
  s.clock.advance(2h);
  EXPECT_TRUE(std::holds_alternative<Rejected>(*sign_in.submit_password("marie", "faux", {})));
}

TEST_F(SignInServiceTest, FiftyParallelWrongAttemptsCheckAtMostFivePasswords) {
  add("marie");
  std::atomic<int> rejected{0}, suspended{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i)
    threads.emplace_back([&] {
      auto r = sign_in.submit_password("marie", "faux", {});
      if (r && std::holds_alternative<Rejected>(*r)) ++rejected;
      if (r && std::holds_alternative<Suspension>(*r)) ++suspended;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(rejected.load(), 4) << "four plain refusals, the fifth failure suspends";
  EXPECT_EQ(suspended.load(), 46);
  auto events = audit.recent_for_account(s.accounts->find_by_identifier("marie")->id, 200);
  int failures = 0;
  for (auto& e : *events) failures += e.event == "sign_in.failure";
  EXPECT_EQ(failures, 5) << "exactly five passwords were checked";
}

}  // namespace
}  // namespace portier
