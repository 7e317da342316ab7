#include "credential/totp_service.h"

#include <gtest/gtest.h>

#include <set>

#include "admin/account_admin_service.h"
#include "credential/totp.h"
#include "storage/stores/sql_totp_store.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

const Argon2Params kFast{1024, 1, 1};

class TotpServiceTest : public ::testing::Test {
protected:
  testing_support::SqliteStores s;
  SecretHasher secrets{std::string(32, 'k')};
  SodiumRandom random;
  AuditLog audit{*s.audit, s.clock};
  PasswordHasher hasher{kFast};
  PasswordPolicy policy{PasswordPolicyConfig{}, std::make_shared<PasswordBlocklist>(PasswordBlocklist::from_words({}))};
  SessionService sessions{*s.sessions, secrets, random, s.clock, SessionPolicy{}};
  AccountAdminService admin{*s.accounts, sessions, hasher, policy, audit, random, s.clock, AdminSettings{"portier"}};
  storage::SqlTotpStore store{s.db};
  TotpService totp{store, secrets, random, s.clock, "Portail Santé"};
  Account marie = add("marie");

  Account add(const std::string& id) {
    auto a = admin.add(NewAccount{id, id + "@example.org", "Dr Test", "", "", Role::Member, "une longue phrase de passe"},
                       std::nullopt, {});
    EXPECT_TRUE(a) << (a ? "" : a.error().detail);
    return *a;
  }
  static std::string secret_of(const TotpEnrolment& e) { return *totp::base32_decode(e.secret_base32); }
  std::string code(const std::string& secret, Seconds offset = 0s) {
    return totp::generate(secret, s.clock.now() + offset);
  }
  // Enrols marie and returns her secret and recovery codes.
  std::pair<std::string, std::vector<std::string>> enrol() {
    auto e = totp.start_enrolment(marie);
    EXPECT_TRUE(e);
    auto secret = secret_of(*e);
    auto codes = totp.confirm_enrolment(marie.id, code(secret));
    EXPECT_TRUE(codes && *codes);
    // The next sign-in comes later than the confirming code.
    s.clock.advance(30s);
    return {secret, codes && *codes ? **codes : std::vector<std::string>{}};
  }
};

TEST_F(TotpServiceTest, EnrolmentDescribesTheKeyForApps) {
  auto e = totp.start_enrolment(marie);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->secret_base32.size(), 32u);
  EXPECT_EQ(secret_of(*e).size(), totp::kSecretBytes);
  EXPECT_EQ(e->otpauth_uri, "otpauth://totp/Portail%20Sant%C3%A9:marie?secret=" + e->secret_base32 +
                                "&issuer=Portail%20Sant%C3%A9&algorithm=SHA1&digits=6&period=30");
  EXPECT_NE(e->qr_svg.find("role=\"img\""), std::string::npos);
  EXPECT_EQ(*totp.is_enrolled(marie.id), false);
}

TEST_F(TotpServiceTest, TheSecretIsStoredEncrypted) {
  auto e = totp.start_enrolment(marie);
  auto row = store.find(marie.id);
  ASSERT_TRUE(row && row->pending_box);
  EXPECT_EQ(row->pending_box->find(e->secret_base32), std::string::npos);
  EXPECT_EQ(row->pending_box->find(secret_of(*e)), std::string::npos);
  auto again = totp.pending_enrolment(marie);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->secret_base32, e->secret_base32);
}

TEST_F(TotpServiceTest, AWrongFirstCodeLeavesTheEnrolmentPending) {
  auto e = totp.start_enrolment(marie);
  auto secret = secret_of(*e);
  auto wrong = totp.confirm_enrolment(marie.id, code(secret, 90s));
  ASSERT_TRUE(wrong);
  EXPECT_FALSE(*wrong);
  EXPECT_EQ(*totp.is_enrolled(marie.id), false);
  auto right = totp.confirm_enrolment(marie.id, code(secret));
  ASSERT_TRUE(right && *right);
  EXPECT_EQ((*right)->size(), 10u);
  EXPECT_EQ(*totp.is_enrolled(marie.id), true);
  EXPECT_EQ(*totp.remaining_recovery_codes(marie.id), 10);
}

TEST_F(TotpServiceTest, APendingKeyStaysTheSameUntilItsLifetimeEnds) {
  auto e = totp.start_enrolment(marie);
  ASSERT_TRUE(e);
  s.clock.advance(TotpService::kPendingLifetime - 1s);
  auto again = totp.pending_enrolment(marie);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->secret_base32, e->secret_base32);
  s.clock.advance(1s);
  auto gone = totp.pending_enrolment(marie);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::NotFound);
  // Its codes no longer confirm anything either.
  auto late = totp.confirm_enrolment(marie.id, code(secret_of(*e)));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::NotFound);
  EXPECT_EQ(*totp.is_enrolled(marie.id), false);
}

TEST_F(TotpServiceTest, ACancelledKeyIsForgottenAndTheEnrolledAppStays) {
  auto [secret, codes] = enrol();
  auto e = totp.start_enrolment(marie);
  ASSERT_TRUE(e);
  ASSERT_TRUE(totp.cancel_enrolment(marie.id));
  EXPECT_EQ(totp.pending_enrolment(marie).error().code, ErrorCode::NotFound);
  EXPECT_EQ(*totp.is_enrolled(marie.id), true);
  EXPECT_EQ(*totp.verify(marie.id, code(secret)), TotpVerdict::Accepted);
}

TEST_F(TotpServiceTest, ConfirmingWithoutAnEnrolmentIsNotFound) {
  auto r = totp.confirm_enrolment(marie.id, "123456");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::NotFound);
}

TEST_F(TotpServiceTest, TheConfirmingCodeCannotBeUsedAgain) {
  auto e = totp.start_enrolment(marie);
  auto first = code(secret_of(*e));
  ASSERT_TRUE(*totp.confirm_enrolment(marie.id, first));
  EXPECT_EQ(*totp.verify(marie.id, first), TotpVerdict::Replayed);
}

TEST_F(TotpServiceTest, VerifyAcceptsACodeOnceAndRefusesOlderSteps) {
  auto [secret, codes] = enrol();
  auto now = code(secret);
  EXPECT_EQ(*totp.verify(marie.id, code(secret, 60s)), TotpVerdict::Wrong);
  EXPECT_EQ(*totp.verify(marie.id, now), TotpVerdict::Accepted);
  EXPECT_EQ(*totp.verify(marie.id, now), TotpVerdict::Replayed);
  // The next step is accepted once; the current step is then older and refused.
  s.clock.advance(30s);
  auto newer = code(secret);
  EXPECT_EQ(*totp.verify(marie.id, newer), TotpVerdict::Accepted);
  s.clock.advance(1s);
  EXPECT_EQ(*totp.verify(marie.id, code(secret, -30s)), TotpVerdict::Replayed);
}

TEST_F(TotpServiceTest, AnOlderStepAfterANewerOneIsReplayed) {
  auto [secret, codes] = enrol();
  auto previous = code(secret, -30s);
  EXPECT_EQ(*totp.verify(marie.id, code(secret, 30s)), TotpVerdict::Accepted);
  EXPECT_EQ(*totp.verify(marie.id, previous), TotpVerdict::Replayed);
}

TEST_F(TotpServiceTest, AMemberWithoutAnAppHasNoRightCode) {
  EXPECT_EQ(*totp.verify(marie.id, "123456"), TotpVerdict::Wrong);
  EXPECT_EQ(*totp.use_recovery_code(marie.id, "ABCDE-FGHJK"), false);
}

TEST_F(TotpServiceTest, RecoveryCodesAreSingleUseAndCounted) {
  auto [secret, codes] = enrol();
  ASSERT_EQ(codes.size(), 10u);
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 10u);
  for (auto& c : codes) ASSERT_EQ(c.size(), 11u) << c;  // ABCDE-FGHJK
  EXPECT_EQ(*totp.use_recovery_code(marie.id, codes[0]), true);
  EXPECT_EQ(*totp.use_recovery_code(marie.id, codes[0]), false);
  // Typed in lower case, without the dash, with spaces: still the same code.
  auto loose = codes[1].substr(0, 5) + " " + codes[1].substr(6);
  for (auto& ch : loose) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(*totp.use_recovery_code(marie.id, loose), true);
  EXPECT_EQ(*totp.remaining_recovery_codes(marie.id), 8);
  // Another member cannot spend marie's codes.
  auto jean = add("jean");
  EXPECT_EQ(*totp.use_recovery_code(jean.id, codes[2]), false);
  EXPECT_EQ(*totp.remaining_recovery_codes(marie.id), 8);
}

TEST_F(TotpServiceTest, RegeneratingInvalidatesTheOldCodes) {
  auto [secret, codes] = enrol();
  auto fresh = totp.regenerate_recovery_codes(marie.id);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->size(), 10u);
  EXPECT_EQ(*totp.use_recovery_code(marie.id, codes[0]), false);
  EXPECT_EQ(*totp.use_recovery_code(marie.id, (*fresh)[0]), true);
  EXPECT_EQ(*totp.remaining_recovery_codes(marie.id), 9);
}

TEST_F(TotpServiceTest, RegeneratingWithoutAnAppIsNotFound) {
  auto r = totp.regenerate_recovery_codes(marie.id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::NotFound);
}

TEST_F(TotpServiceTest, AReplacementKeepsTheOldAppUntilConfirmed) {
  auto [secret, codes] = enrol();
  auto replacement = totp.start_enrolment(marie);
  ASSERT_TRUE(replacement);
  EXPECT_EQ(*totp.verify(marie.id, code(secret)), TotpVerdict::Accepted);
  s.clock.advance(30s);
  auto fresh = secret_of(*replacement);
  ASSERT_TRUE(*totp.confirm_enrolment(marie.id, code(fresh)));
  s.clock.advance(30s);
  EXPECT_EQ(*totp.verify(marie.id, code(secret)), TotpVerdict::Wrong);
  EXPECT_EQ(*totp.verify(marie.id, code(fresh)), TotpVerdict::Accepted);
}

TEST_F(TotpServiceTest, RemoveForgetsTheAppAndItsCodes) {
  auto [secret, codes] = enrol();
  ASSERT_TRUE(totp.remove(marie.id));
  EXPECT_EQ(*totp.is_enrolled(marie.id), false);
  EXPECT_EQ(*totp.verify(marie.id, code(secret)), TotpVerdict::Wrong);
  EXPECT_EQ(*totp.use_recovery_code(marie.id, codes[0]), false);
  EXPECT_EQ(*totp.remaining_recovery_codes(marie.id), 0);
}

TEST_F(TotpServiceTest, AnotherServerKeyCannotReadTheSecret) {
  auto [secret, codes] = enrol();
  SecretHasher other{std::string(32, 'o')};
  TotpService elsewhere{store, other, random, s.clock, "Portail Santé"};
  auto r = elsewhere.verify(marie.id, code(secret));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::Internal);
}

}  // namespace
}  // namespace portier
