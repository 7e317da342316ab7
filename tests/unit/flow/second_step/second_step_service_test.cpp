#include "flow/second_step/second_step_service.h"

#include <gtest/gtest.h>

#include <regex>

#include "storage/stores/sql_lockout_store.h"
#include "storage/stores/sql_recovery_store.h"
#include "storage/stores/sql_totp_store.h"
#include "credential/totp.h"
#include "support/service_parts.h"

namespace portier {
namespace {

using namespace std::chrono_literals;
namespace sq = storage;

const ClientInfo kClient{"203.0.113.7", "test"};

class SecondStepServiceTest : public ::testing::Test, protected testing_support::ServiceParts {
protected:
  sq::SqlRecoveryStore flow_messages{s.db};
  sq::SqlLockoutStore lockouts{s.db};
  sq::SqlTotpStore totp_store{s.db};
  TotpService totp{totp_store, secrets, random, s.clock, "portier"};
  std::string policy_value = "required";
  std::vector<AccountId> told_password_known;
  SecondStepSettings settings() {
    SecondStepSettings st{[this](Role) { return policy_value; }};
    st.on_password_known = [this](const Account& a) { told_password_known.push_back(a.id); };
    return st;
  }
  SecondStepService service{*s.accounts, *s.flows, flow_messages, lockouts, limiter, totp, composer, audit, secrets,
                            random, s.clock, nullptr, settings()};
  SecondStepService with_fallback() {
    auto st = settings();
    st.allow_code_fallback_with_app = true;
    return SecondStepService{*s.accounts, *s.flows, flow_messages, lockouts, limiter, totp, composer, audit, secrets,
                             random, s.clock, nullptr, st};
  }
  // Enrols an app for `a`; returns its secret.
  std::string enrol_app(const Account& a) {
    auto e = totp.start_enrolment(a);
    auto secret = *totp::base32_decode(e->secret_base32);
    auto done = totp.confirm_enrolment(a.id, totp::generate(secret, s.clock.now()));
    EXPECT_TRUE(done && *done);
    return secret;
  }

  Account add(const std::string& id) { return add_member(id); }
  std::string last_code() {
    auto sent = *outbox.list(1, 0);
    std::smatch m;
    std::regex_search(sent.at(0).body_text, m, std::regex("\\b(\\d{8})\\b"));
    return m[1];
  }
  std::string started(const Account& a) {
    auto flow = service.begin(a, kClient);
    EXPECT_TRUE(flow);
    auto sent = service.send(flow->flow_token, SecondStepMethod::Email, "fr", kClient);
    EXPECT_TRUE(sent && std::holds_alternative<CodeSent>(*sent));
    return flow->flow_token;
  }
};

TEST_F(SecondStepServiceTest, PoliciesDecideWhoIsAsked) {
  auto a = add("marie");
  EXPECT_TRUE(*service.required(a));
  policy_value = "off";
  EXPECT_FALSE(*service.required(a));
  policy_value = "optional";
  EXPECT_FALSE(*service.required(a)) << "optional: no app and no verified number";
  a.phone = "+33612345678";
  EXPECT_FALSE(*service.required(a)) << "an unverified number does not count";
  a.phone_verified_at = s.clock.now();
  EXPECT_TRUE(*service.required(a));
}

TEST_F(SecondStepServiceTest, TheRightCodeOnceWithinTenMinutes) {
  auto a = add("marie");
  auto flow = started(a);
  auto code = last_code();
  auto view = service.view(flow);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->sent_to, "m•••••@example.org");
  EXPECT_EQ(view->code_expires_at, s.clock.now() + 10min);
  auto ok = service.check(flow, SecondStepMethod::Email, code, kClient);
  ASSERT_TRUE(ok);
  EXPECT_EQ(std::get<SecondStepPassed>(*ok).account, a.id);
  auto again = service.check(flow, SecondStepMethod::Email, code, kClient);
  EXPECT_FALSE(again) << "the flow is spent";
}

TEST_F(SecondStepServiceTest, AnExpiredCodeIsRefused) {
  auto a = add("marie");
  auto flow = started(a);
  auto code = last_code();
  s.clock.advance(10min);
  auto r = service.check(flow, SecondStepMethod::Email, code, kClient);
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<SecondStepRejected>(*r).attempts_left, 4);
}

TEST_F(SecondStepServiceTest, ACodeOfAnotherSignInOpensNothing) {
  auto a = add("marie");
  auto first = started(a);
  auto first_code = last_code();
  s.clock.advance(61s);
  auto second = started(a);
  auto r = service.check(second, SecondStepMethod::Email, first_code, kClient);
  EXPECT_TRUE(std::holds_alternative<SecondStepRejected>(*r));
  EXPECT_TRUE(std::holds_alternative<SecondStepPassed>(*service.check(first, SecondStepMethod::Email, first_code, kClient)));
}

TEST_F(SecondStepServiceTest, FiveTriesPerSignInThenTenPerAccountSuspend) {
  auto a = add("marie");
  auto flow = started(a);
  auto code = last_code();
  for (int left = 4; left >= 0; --left)
    EXPECT_EQ(std::get<SecondStepRejected>(*service.check(flow, SecondStepMethod::Email, "11111111", kClient)).attempts_left, left);
  EXPECT_TRUE(std::holds_alternative<SecondStepRejected>(*service.check(flow, SecondStepMethod::Email, code, kClient)));
  // A new sign-in gets five more tries, but the account counts all of them.
  s.clock.advance(61s);
  auto next = started(a);
  for (int i = 0; i < 4; ++i) (void)service.check(next, SecondStepMethod::Email, "22222222", kClient);
  auto tenth = service.check(next, SecondStepMethod::Email, "22222222", kClient);
  EXPECT_TRUE(std::get<SecondStepRejected>(*tenth).suspended);
}

TEST_F(SecondStepServiceTest, ResendCooldownAndHourlyCap) {
  auto a = add("marie");
  auto flow = service.begin(a, kClient);
  ASSERT_TRUE(std::holds_alternative<CodeSent>(*service.send(flow->flow_token, SecondStepMethod::Email, "fr", kClient)));
  EXPECT_TRUE(std::holds_alternative<SendTooSoon>(*service.send(flow->flow_token, SecondStepMethod::Email, "fr", kClient)));
  for (int i = 0; i < 4; ++i) {
    s.clock.advance(61s);
    ASSERT_TRUE(std::holds_alternative<CodeSent>(*service.send(flow->flow_token, SecondStepMethod::Email, "fr", kClient)));
  }
  s.clock.advance(61s);
  EXPECT_TRUE(std::holds_alternative<SendCapReached>(*service.send(flow->flow_token, SecondStepMethod::Email, "fr", kClient)));
}

TEST_F(SecondStepServiceTest, NoSmsToAnUnverifiedNumber) {
  auto a = add("marie");
  a.phone = "+33612345678";
  ASSERT_TRUE(s.accounts->update_profile(a));
  auto flow = service.begin(a, kClient);
  auto r = service.send(flow->flow_token, SecondStepMethod::Sms, "fr", kClient);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
  a.phone_verified_at = s.clock.now();
  ASSERT_TRUE(s.accounts->update_profile(a));
  auto sent = service.send(flow->flow_token, SecondStepMethod::Sms, "fr", kClient);
  ASSERT_TRUE(sent);
  EXPECT_EQ(std::get<CodeSent>(*sent).to, "•• •• •• •• 78");
  auto sms = outbox.list(1, 0)->at(0);
  EXPECT_EQ(sms.channel, MessageChannel::Sms);
  EXPECT_EQ(sms.recipient, "+33612345678");
  EXPECT_TRUE(sms.body_html.empty());
}

}  // namespace
}  // namespace portier

namespace portier {
namespace {

TEST_F(SecondStepServiceTest, WithAnAppOnlyTheAppOrARecoveryCodePass) {
  auto a = add("marie");
  // A code sent before the app was enrolled (same sign-in) no longer passes.
  auto flow = started(a);
  auto code = last_code();
  auto secret = enrol_app(a);
  auto view = service.view(flow);
  ASSERT_TRUE(view);
  EXPECT_TRUE(view->has_app);
  EXPECT_FALSE(view->codes_allowed);
  EXPECT_EQ(view->preselected, SecondStepMethod::App);
  s.clock.advance(61s);
  auto sent = service.send(flow, SecondStepMethod::Email, "fr", kClient);
  ASSERT_TRUE(sent);
  EXPECT_TRUE(std::holds_alternative<SendNotAllowed>(*sent)) << "the mailbox must not pass the app";
  auto by_mail = service.check(flow, SecondStepMethod::Email, code, kClient);
  ASSERT_TRUE(by_mail);
  EXPECT_TRUE(std::holds_alternative<SecondStepRejected>(*by_mail));
  auto by_app = service.check(flow, SecondStepMethod::App, totp::generate(secret, s.clock.now() + 30s), kClient);
  ASSERT_TRUE(by_app);
  EXPECT_TRUE(std::holds_alternative<SecondStepPassed>(*by_app));
}

TEST_F(SecondStepServiceTest, TheOperatorMayAllowCodesBesideTheApp) {
  auto a = add("marie");
  enrol_app(a);
  auto fallback = with_fallback();
  auto flow = fallback.begin(a, kClient);
  auto view = fallback.view(flow->flow_token);
  EXPECT_TRUE(view->codes_allowed);
  auto sent = fallback.send(flow->flow_token, SecondStepMethod::Email, "fr", kClient);
  ASSERT_TRUE(sent && std::holds_alternative<CodeSent>(*sent));
  auto ok = fallback.check(flow->flow_token, SecondStepMethod::Email, last_code(), kClient);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(std::holds_alternative<SecondStepPassed>(*ok));
}

TEST_F(SecondStepServiceTest, ThreeSignInsWithAWrongCodeTellTheMemberOnceADay) {
  auto a = add("marie");
  for (int i = 0; i < 6; ++i) {
    auto flow = service.begin(a, kClient);
    // Two wrong codes in one sign-in count as one sign-in.
    (void)service.check(flow->flow_token, SecondStepMethod::Email, "11111111", kClient);
    (void)service.check(flow->flow_token, SecondStepMethod::Email, "11111111", kClient);
    if (i == 1) EXPECT_TRUE(told_password_known.empty());
    if (i == 2) EXPECT_EQ(told_password_known.size(), 1u);
  }
  EXPECT_EQ(told_password_known.size(), 1u) << "at most once a day";
  ASSERT_TRUE(lockouts.clear_account(a.id));  // the 10 wrong codes suspended the step; not what is tested here
  s.clock.advance(25h);
  for (int i = 0; i < 3; ++i) {
    auto flow = service.begin(a, kClient);
    (void)service.check(flow->flow_token, SecondStepMethod::Email, "11111111", kClient);
  }
  EXPECT_EQ(told_password_known.size(), 2u) << "a day later, again";
}

TEST_F(SecondStepServiceTest, TheCeilingLocksUntilTheAccountIsUnlocked) {
  auto a = add("marie");
  // 10 wrong codes suspend for an hour, 10 more for two hours, ... 50 lock.
  bool locked = false;
  for (int i = 0; i < 200 && !locked; ++i) {
    auto flow = service.begin(a, kClient);
    auto r = service.check(flow->flow_token, SecondStepMethod::Email, "11111111", kClient);
    ASSERT_TRUE(r);
    auto& rejected = std::get<SecondStepRejected>(*r);
    locked = rejected.locked;
    if (rejected.suspended && !rejected.locked) s.clock.advance(24h * 3);
  }
  ASSERT_TRUE(locked);
  s.clock.advance(24h * 30);
  auto flow = service.begin(a, kClient);
  auto r = service.check(flow->flow_token, SecondStepMethod::Email, "11111111", kClient);
  EXPECT_TRUE(std::get<SecondStepRejected>(*r).locked) << "waiting does not lift it";
  ASSERT_TRUE(lockouts.clear_account(a.id));
  flow = service.begin(a, kClient);
  r = service.check(flow->flow_token, SecondStepMethod::Email, "11111111", kClient);
  EXPECT_FALSE(std::get<SecondStepRejected>(*r).suspended);
}

}  // namespace
}  // namespace portier
