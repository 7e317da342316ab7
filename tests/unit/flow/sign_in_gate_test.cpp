#include "flow/sign_in/sign_in_gate.h"

#include <gtest/gtest.h>

#include <atomic>

#include "admin/account_admin_service.h"
#include "flow/sign_in/sign_in_service.h"
#include "storage/stores/sql_lockout_store.h"
#include "storage/stores/sql_rate_limit_store.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

const char* kPassword = "une longue phrase de passe";
const ClientInfo kClient{"203.0.113.7", "test"};
const ClientInfo kOtherClient{"198.51.100.2", "test"};

// Counts every argon2id computation, real or dummy (verify_dummy goes
// through verify): the refusals under test must come before any.
class CountingHasher final : public PasswordHasher {
public:
  CountingHasher() : PasswordHasher(Argon2Params{1024, 1, 1}) {}
  Result<std::string> hash(std::string_view p) const override {
    ++count;
    return PasswordHasher::hash(p);
  }
  bool verify(std::string_view phc, std::string_view p) const override {
    ++count;
    return PasswordHasher::verify(phc, p);
  }
  mutable std::atomic<int> count{0};
};

class SignInGateTest : public ::testing::Test {
protected:
  testing_support::SqliteStores s;
  SecretHasher secrets{std::string(32, 'k')};
  SodiumRandom random;
  Metrics metrics;
  AuditLog audit{*s.audit, s.clock};
  CountingHasher hasher;
  PasswordPolicy policy{PasswordPolicyConfig{}, std::make_shared<PasswordBlocklist>(PasswordBlocklist::from_words({}))};
  SessionService sessions{*s.sessions, secrets, random, s.clock, SessionPolicy{}};
  storage::SqlLockoutStore lockouts{s.db};
  storage::SqlRateLimitStore limits{s.db};
  SignInGuard guard{lockouts, secrets, s.clock, LockoutSettings{}};
  DeviceTrust devices{secrets, random};
  // Two free failures per address, then delays of 4 s doubling to 16 s: a
  // back-off one second shorter (3 s, 7 s, 15 s).
  ClientThrottle throttle{limits, s.clock, ClientThrottleSettings{2, 1h, 4000ms, 16000ms}};
  SignInGate gate{throttle, limits, secrets, s.clock, SuccessLimitSettings{5, 8, 1h}};
  SignInService sign_in{*s.accounts, *s.flows, sessions, hasher, policy, audit, secrets, random, s.clock, metrics,
                        guard, devices, nullptr, SignInSettings{15min, "portier"}, nullptr, &gate};
  AccountAdminService admin{*s.accounts, sessions, hasher, policy, audit, random, s.clock, AdminSettings{"portier"}};

  void add(const std::string& id) {
    auto a = admin.add(NewAccount{id, id + "@example.org", "Dr Test", "", "", Role::Member, kPassword}, std::nullopt, {});
    ASSERT_TRUE(a) << (a ? "" : a.error().detail);
  }
  // What the sign-in page does: try, and count a failure against the address.
  SignInOutcome attempt(const std::string& id, const char* password, const ClientInfo& client = kClient) {
    auto out = sign_in.submit_password(id, password, client);
    EXPECT_TRUE(out);
    if (std::holds_alternative<Rejected>(*out)) {
      EXPECT_TRUE(throttle.failed(client.ip));
    }
    return *out;
  }
};

TEST_F(SignInGateTest, AnAddressInBackOffIsRefusedBeforeAnyHash) {
  add("marie");
  int start = hasher.count;
  EXPECT_TRUE(std::holds_alternative<Rejected>(attempt("marie", "pas le bon mot de passe")));
  EXPECT_TRUE(std::holds_alternative<Rejected>(attempt("zoe", "pas le bon mot de passe")));
  int hashes = hasher.count;
  EXPECT_EQ(hashes - start, 2) << "each failure cost one hash (a dummy one for the unknown identifier)";

  // In back-off for 3 s: even the right password is refused, and unhashed.
  for (int i = 0; i < 20; ++i) {
    auto out = attempt("marie", kPassword);
    auto* throttled = std::get_if<SignInThrottled>(&out);
    ASSERT_NE(throttled, nullptr);
    EXPECT_EQ(throttled->retry_after, 3s);
  }
  EXPECT_EQ(hasher.count, hashes) << "twenty refusals, not one hash";
  EXPECT_TRUE(std::holds_alternative<SignedIn>(attempt("marie", kPassword, kOtherClient)))
      << "another address is not affected";

  s.clock.advance(2s);
  EXPECT_TRUE(std::holds_alternative<SignInThrottled>(attempt("marie", kPassword)));
  s.clock.advance(1s);
  EXPECT_TRUE(std::holds_alternative<SignedIn>(attempt("marie", kPassword))) << "the back-off is over";
}

TEST_F(SignInGateTest, TheBackOffDoublesWithEachFailure) {
  for (int i = 0; i < 2; ++i) attempt("x", "pas le bon mot de passe");
  s.clock.advance(3s);
  attempt("x", "pas le bon mot de passe");  // third failure: 8 s held, 7 s of back-off
  auto out = attempt("x", "pas le bon mot de passe");
  ASSERT_TRUE(std::holds_alternative<SignInThrottled>(out));
  EXPECT_EQ(std::get<SignInThrottled>(out).retry_after, 7s);
  s.clock.advance(6s);
  EXPECT_TRUE(std::holds_alternative<SignInThrottled>(attempt("x", "pas le bon mot de passe")));
  s.clock.advance(1s);
  EXPECT_TRUE(std::holds_alternative<Rejected>(attempt("x", "pas le bon mot de passe")));
}

TEST_F(SignInGateTest, ASuspendedAccountIsRefusedBeforeAnyHash) {
  add("marie");
  // Distinct addresses, so only the account's own counter engages.
  for (int i = 0; i < 5; ++i) attempt("marie", "pas le bon mot de passe", {"192.0.2." + std::to_string(i), ""});
  int hashes = hasher.count;
  auto out = attempt("marie", kPassword, kOtherClient);
  EXPECT_TRUE(std::holds_alternative<Suspension>(out));
  EXPECT_EQ(hasher.count, hashes);
}

TEST_F(SignInGateTest, SuccessfulSignInsAreLimitedPerAccount) {
  add("marie");
  add("paul");
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(std::holds_alternative<SignedIn>(attempt("marie", kPassword)));
  int hashes = hasher.count;
  auto out = attempt("MARIE", kPassword, kOtherClient);
  ASSERT_TRUE(std::holds_alternative<SignInThrottled>(out)) << "the sixth in the hour, whatever the address or case";
  EXPECT_EQ(std::get<SignInThrottled>(out).retry_after, 1h);
  EXPECT_EQ(hasher.count, hashes);
  EXPECT_TRUE(std::holds_alternative<SignedIn>(attempt("paul", kPassword))) << "other accounts are not affected";
  s.clock.advance(1h);
  EXPECT_TRUE(std::holds_alternative<SignedIn>(attempt("marie", kPassword)));
}

TEST_F(SignInGateTest, SuccessfulSignInsAreLimitedPerAddress) {
  for (int i = 0; i < 9; ++i) add("membre" + std::to_string(i));
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(std::holds_alternative<SignedIn>(attempt("membre" + std::to_string(i), kPassword)));
  EXPECT_TRUE(std::holds_alternative<SignInThrottled>(attempt("membre8", kPassword)));
  EXPECT_TRUE(std::holds_alternative<SignedIn>(attempt("membre8", kPassword, kOtherClient)));
}

TEST_F(SignInGateTest, FailuresDoNotCountAsSuccesses) {
  add("marie");
  for (int i = 0; i < 4; ++i) {
    attempt("marie", "pas le bon mot de passe", {"192.0.2." + std::to_string(i), ""});
    EXPECT_TRUE(std::holds_alternative<SignedIn>(attempt("marie", kPassword, {"192.0.2." + std::to_string(i), ""})));
  }
  EXPECT_TRUE(std::holds_alternative<SignedIn>(attempt("marie", kPassword)));
}

}  // namespace
}  // namespace portier
