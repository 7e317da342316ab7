#include "flow/recovery/recovery_service.h"

#include <gtest/gtest.h>

#include <regex>

#include "storage/stores/sql_lockout_store.h"
#include "storage/stores/sql_recovery_store.h"
#include "throttle/second_step_guard.h"
#include "support/service_parts.h"

namespace portier {
namespace {

using namespace std::chrono_literals;
namespace sq = storage;

const char* kPassword = testing_support::kTestPassword;
const char* kNewPassword = "un autre long secret bien choisi";
const ClientInfo kClient{"203.0.113.7", "test"};

class RecoveryServiceTest : public ::testing::Test, protected testing_support::ServiceParts {
protected:
  sq::SqlRecoveryStore store{s.db};
  int wakes = 0;
  RecoveryService recovery{*s.accounts, *s.flows, store, limiter, composer, hasher, policy, audit, secrets, random,
                           s.clock, [this] { ++wakes; }, settings()};

  static RecoverySettings settings() {
    RecoverySettings st;
    st.public_url = "https://portail.example";
    return st;
  }

  Account add(const std::string& id, const std::string& email = "") { return add_member(id, email); }
  // The link token and the code of the newest message to `email`.
  std::pair<std::string, std::string> secrets_in_last_message_to(const std::string& email) {
    for (auto& m : messages()) {
      if (m.recipient != email || m.kind != "recovery.password") continue;
      std::smatch link, code;
      std::regex_search(m.body_text, link, std::regex("jeton=([A-Za-z0-9_-]+)"));
      std::regex_search(m.body_text, code, std::regex("([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})"));
      return {link[1], code[1]};
    }
    return {};
  }
  std::string start(std::string_view target, const ClientInfo& client = kClient) {
    auto out = recovery.request(target, "fr", client);
    EXPECT_TRUE(out) << (out ? "" : out.error().detail);
    auto* started = std::get_if<RecoveryStarted>(&*out);
    EXPECT_NE(started, nullptr);
    return started ? started->flow_token : "";
  }
};

TEST_F(RecoveryServiceTest, AKnownIdentifierGetsOneMessageWithLinkAndCode) {
  add("marie");
  auto flow = start("Marie");
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].recipient, "marie@example.org");
  EXPECT_EQ(sent[0].kind, "recovery.password");
  EXPECT_NE(sent[0].body_html.find("https://portail.example/mot-de-passe-oublie/nouveau?jeton="), std::string::npos);
  auto [link, code] = secrets_in_last_message_to("marie@example.org");
  EXPECT_GE(link.size(), 43u);
  EXPECT_EQ(code.size(), 19u);
  EXPECT_EQ(wakes, 1);
  auto status = recovery.status(flow);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->expires_at, s.clock.now() + 1h);
}

TEST_F(RecoveryServiceTest, UnknownTargetsGetTheSameFlowAndNoAccountChanges) {
  add("marie");
  auto known = recovery.request("marie", "fr", kClient);
  auto unknown = recovery.request("nobody", "fr", kClient);
  ASSERT_TRUE(known && unknown);
  auto* a = std::get_if<RecoveryStarted>(&*known);
  auto* b = std::get_if<RecoveryStarted>(&*unknown);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->expires_at, b->expires_at);
  EXPECT_EQ(recovery.status(b->flow_token)->expires_at, recovery.status(a->flow_token)->expires_at);
  EXPECT_EQ(messages().size(), 1u) << "an unknown identifier has no address to write to";
  // Any code on the unknown flow is wrong, and is counted like any wrong code.
  auto [link, code] = secrets_in_last_message_to("marie@example.org");
  auto r = recovery.check_code(b->flow_token, code, kClient);
  ASSERT_TRUE(r);
  EXPECT_TRUE(std::holds_alternative<CodeRejected>(*r));
}

TEST_F(RecoveryServiceTest, AnUnknownAddressIsToldNoAccountUsesIt) {
  start("personne@example.org");
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].recipient, "personne@example.org");
  EXPECT_EQ(sent[0].kind, "recovery.password_unknown");
  EXPECT_EQ(sent[0].body_text.find("jeton="), std::string::npos);
}

TEST_F(RecoveryServiceTest, AnAddressSharedByTwoAccountsGetsOneMessagePerAccount) {
  add("marie", "cabinet@example.org");
  add("pierre", "cabinet@example.org");
  start("cabinet@example.org");
  auto sent = messages();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent[0].body_text.find("pierre"), std::string::npos);
  EXPECT_NE(sent[1].body_text.find("marie"), std::string::npos);
}

TEST_F(RecoveryServiceTest, DisabledAccountsGetNoMessage) {
  auto a = add("marie");
  ASSERT_TRUE(s.accounts->set_status(a.id, AccountStatus::Disabled));
  start("marie");
  EXPECT_TRUE(messages().empty());
}

TEST_F(RecoveryServiceTest, TheCodeOpensTheNewPasswordStepWithoutSpendingIt) {
  add("marie");
  auto flow = start("marie");
  auto [link, code] = secrets_in_last_message_to("marie@example.org");
  std::string typed = code;
  std::transform(typed.begin(), typed.end(), typed.begin(), ::tolower);
  std::erase(typed, '-');
  auto r = recovery.check_code(flow, " " + typed + " ", kClient);
  ASSERT_TRUE(r);
  auto* ok = std::get_if<CodeAccepted>(&*r);
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->identifier, "marie");
  EXPECT_TRUE(recovery.check_secret(RecoverySecret::Code, ok->code));
}

TEST_F(RecoveryServiceTest, WrongCodesLockTheRequestAfterFiveTries) {
  add("marie");
  auto flow = start("marie");
  auto [link, code] = secrets_in_last_message_to("marie@example.org");
  for (int left = 4; left >= 0; --left) {
    auto r = recovery.check_code(flow, "2222-2222-2222-2222", kClient);
    ASSERT_TRUE(r);
    EXPECT_EQ(std::get<CodeRejected>(*r).attempts_left, left);
  }
  EXPECT_TRUE(recovery.status(flow)->locked);
  auto late = recovery.check_code(flow, code, kClient);
  EXPECT_TRUE(std::holds_alternative<CodeRejected>(*late)) << "even the right code, once locked";
}

TEST_F(RecoveryServiceTest, WrongCodesFromManyAddressesExhaustTheRequestAndAreAudited) {
  auto marie = add("marie");
  auto flow = start("marie");
  auto [link, code] = secrets_in_last_message_to("marie@example.org");
  for (int i = 0; i < 5; ++i) {
    auto r = recovery.check_code(flow, "2222-2222-2222-2222", ClientInfo{"203.0.113." + std::to_string(20 + i), "t"});
    ASSERT_TRUE(r && std::holds_alternative<CodeRejected>(*r));
  }
  auto late = recovery.check_code(flow, code, ClientInfo{"198.51.100.3", "t"});
  ASSERT_TRUE(late);
  EXPECT_TRUE(std::holds_alternative<CodeRejected>(*late)) << "the request is spent, whatever the address";
  auto events = *s.audit->recent_for_account(marie.id, 50);
  EXPECT_EQ(std::count_if(events.begin(), events.end(), [](auto& e) { return e.event == "recovery.code_rejected"; }), 6);
}

TEST_F(RecoveryServiceTest, CodesTypedFromOneAddressAreLimitedOnEveryForm) {
  add("marie");
  // Fresh requests each time: only the address's limit (per_client) is left.
  for (int i = 0; i < 20; ++i) {
    auto r = recovery.reset_password(RecoverySecret::Code, "2222-2222-2222-222" + std::to_string(i % 10), kNewPassword,
                                     kNewPassword, "fr", kClient);
    ASSERT_FALSE(r) << "an unknown code";
    EXPECT_EQ(r.error().code, ErrorCode::NotFound);
  }
  auto flow = start("marie", ClientInfo{"198.51.100.4", "t"});
  auto code = secrets_in_last_message_to("marie@example.org").second;
  auto on_page = recovery.check_code(flow, code, kClient);
  ASSERT_TRUE(on_page);
  EXPECT_TRUE(std::holds_alternative<RecoveryThrottled>(*on_page)) << "the code page shares the address's limit";
  auto on_form = recovery.reset_password(RecoverySecret::Code, code, kNewPassword, kNewPassword, "fr", kClient);
  ASSERT_TRUE(on_form);
  EXPECT_TRUE(std::holds_alternative<RecoveryThrottled>(*on_form));
  auto elsewhere = recovery.check_code(flow, code, ClientInfo{"198.51.100.4", "t"});
  ASSERT_TRUE(elsewhere);
  EXPECT_TRUE(std::holds_alternative<CodeAccepted>(*elsewhere)) << "another address is not affected";
}

TEST_F(RecoveryServiceTest, ResetByLinkChangesThePasswordEndsSessionsAndNotifies) {
  auto a = add("marie");
  auto session = sessions.start(a.id, kClient);
  ASSERT_TRUE(session);
  start("marie");
  auto [link, code] = secrets_in_last_message_to("marie@example.org");
  auto r = recovery.reset_password(RecoverySecret::Link, link, kNewPassword, kNewPassword, "fr", kClient);
  ASSERT_TRUE(r) << r.error().detail;
  ASSERT_TRUE(std::holds_alternative<PasswordReset>(*r));
  auto after = s.accounts->find_by_id(a.id);
  EXPECT_TRUE(hasher.verify(after->password_hash, kNewPassword));
  EXPECT_FALSE(sessions.resume(session->token)) << "every session ends with a reset";
  auto sent = messages();
  ASSERT_EQ(sent.front().kind, "password.changed");
  EXPECT_EQ(sent.front().body_text.find(kNewPassword), std::string::npos) << "never the password itself";
  // Single use: the link and the code of that message are both spent.
  EXPECT_EQ(recovery.check_secret(RecoverySecret::Link, link).error().code, ErrorCode::NotFound);
  EXPECT_EQ(recovery.check_secret(RecoverySecret::Code, code).error().code, ErrorCode::NotFound);
  auto again = recovery.reset_password(RecoverySecret::Link, link, "encore un autre secret", "encore un autre secret",
                                       "fr", kClient);
  EXPECT_FALSE(again);
}

TEST_F(RecoveryServiceTest, AResetLiftsTheSecondStepLock) {
  auto a = add("marie");
  sq::SqlLockoutStore lockouts{s.db};
  SecondStepGuard guard{lockouts, s.clock, SecondStepLimits{2, 1h, 3, 6}};
  for (int i = 0; i < 3; ++i) {
    auto attempt = guard.begin(a.id);
    ASSERT_TRUE(attempt && !attempt->refused);
    (void)guard.failed(*attempt);
    s.clock.advance(2h);
  }
  auto locked = guard.begin(a.id);
  ASSERT_TRUE(locked && locked->refused);
  ASSERT_TRUE(locked->refused->until_reset) << "the ceiling is reached";
  start("marie");
  auto [link, code] = secrets_in_last_message_to("marie@example.org");
  ASSERT_TRUE(recovery.reset_password(RecoverySecret::Link, link, kNewPassword, kNewPassword, "fr", kClient));
  EXPECT_FALSE(guard.begin(a.id)->refused) << "a password reset lifts the second step's lock";
}

TEST_F(RecoveryServiceTest, AWeakPasswordIsRefusedAndTheLinkStillWorks) {
  add("marie");
  start("marie");
  auto [link, code] = secrets_in_last_message_to("marie@example.org");
  auto weak = recovery.reset_password(RecoverySecret::Code, code, "court", "court", "fr", kClient);
  ASSERT_TRUE(weak);
  EXPECT_EQ(std::get<ResetPasswordRejected>(*weak).problem, "too_short");
  auto mismatch = recovery.reset_password(RecoverySecret::Code, code, kNewPassword, "autre chose encore", "fr", kClient);
  EXPECT_EQ(std::get<ResetPasswordRejected>(*mismatch).problem, "mismatch");
  auto context = recovery.reset_password(RecoverySecret::Code, code, "marie marie marie 2026", "marie marie marie 2026", "fr", kClient);
  EXPECT_EQ(std::get<ResetPasswordRejected>(*context).problem, "contains_identifier");
  // Every problem at once: too short and a different confirmation.
  auto both = recovery.reset_password(RecoverySecret::Code, code, "court", "autre", "fr", kClient);
  EXPECT_EQ(std::get<ResetPasswordRejected>(*both).problem, "too_short;mismatch");
  EXPECT_TRUE(recovery.check_secret(RecoverySecret::Code, code));
}

TEST_F(RecoveryServiceTest, LinksAndCodesExpireAfterAnHour) {
  add("marie");
  auto flow = start("marie");
  auto [link, code] = secrets_in_last_message_to("marie@example.org");
  s.clock.advance(59min);
  EXPECT_TRUE(recovery.check_secret(RecoverySecret::Link, link));
  s.clock.advance(1min);
  EXPECT_EQ(recovery.check_secret(RecoverySecret::Link, link).error().code, ErrorCode::Expired);
  EXPECT_EQ(recovery.status(flow).error().code, ErrorCode::Expired);
  EXPECT_FALSE(recovery.reset_password(RecoverySecret::Code, code, kNewPassword, kNewPassword, "fr", kClient));
}

TEST_F(RecoveryServiceTest, ANewerRequestInvalidatesOlderLinksAndCodes) {
  add("marie");
  start("marie");
  auto first = secrets_in_last_message_to("marie@example.org");
  s.clock.advance(5min);
  start("marie");
  auto second = secrets_in_last_message_to("marie@example.org");
  ASSERT_NE(first.second, second.second);
  EXPECT_EQ(recovery.check_secret(RecoverySecret::Code, first.second).error().code, ErrorCode::NotFound);
  EXPECT_EQ(recovery.check_secret(RecoverySecret::Link, first.first).error().code, ErrorCode::NotFound);
  EXPECT_TRUE(recovery.check_secret(RecoverySecret::Code, second.second));
}

TEST_F(RecoveryServiceTest, APasswordChangeInMonEspaceInvalidatesPendingLinks) {
  auto a = add("marie");
  start("marie");
  auto [link, code] = secrets_in_last_message_to("marie@example.org");
  ASSERT_TRUE(s.accounts->set_password(a.id, *hasher.hash("changé ailleurs entre-temps"), std::nullopt));
  EXPECT_EQ(recovery.check_secret(RecoverySecret::Link, link).error().code, ErrorCode::NotFound);
}

TEST_F(RecoveryServiceTest, ResendWaitsForTheCooldownThenReplacesTheCode) {
  add("marie");
  auto flow = start("marie");
  auto first = secrets_in_last_message_to("marie@example.org");
  auto soon = recovery.resend(flow, "fr", kClient);
  ASSERT_TRUE(soon);
  EXPECT_EQ(std::get<ResendTooSoon>(*soon).resend_at, s.clock.now() + 60s);
  EXPECT_EQ(messages().size(), 1u);
  s.clock.advance(61s);
  auto resent = recovery.resend(flow, "en", kClient);
  ASSERT_TRUE(resent);
  EXPECT_EQ(std::get<Resent>(*resent).expires_at, s.clock.now() + 1h) << "the deadline restarts";
  auto second = secrets_in_last_message_to("marie@example.org");
  EXPECT_NE(first.second, second.second);
  EXPECT_EQ(messages().front().lang, "en");
  EXPECT_FALSE(recovery.check_secret(RecoverySecret::Code, first.second));
  auto r = recovery.check_code(flow, second.second, kClient);
  EXPECT_TRUE(std::holds_alternative<CodeAccepted>(*r));
}

TEST_F(RecoveryServiceTest, OneTargetCannotFloodAMailbox) {
  add("marie");
  for (int i = 0; i < 5; ++i) {
    start("marie");
    s.clock.advance(1s);
  }
  EXPECT_EQ(messages().size(), 5u);
  auto sixth = recovery.request("MARIE", "fr", ClientInfo{"198.51.100.1", "other"});
  ASSERT_TRUE(sixth);
  EXPECT_TRUE(std::holds_alternative<RecoveryStarted>(*sixth)) << "the page looks the same";
  EXPECT_EQ(messages().size(), 5u) << "but no sixth message within the hour";
  s.clock.advance(1h);
  start("marie");
  EXPECT_EQ(messages().size(), 6u);
}

TEST_F(RecoveryServiceTest, OneClientAddressIsThrottledAcrossTargets) {
  for (int i = 0; i < 20; ++i) start("nobody" + std::to_string(i));
  auto out = recovery.request("nobody-else", "fr", kClient);
  ASSERT_TRUE(out);
  EXPECT_TRUE(std::holds_alternative<RecoveryThrottled>(*out));
}

TEST(RecoveryCode, GroupsAndNormalises) {
  EXPECT_EQ(group_code("ABCDEFGHJKMNPQRS"), "ABCD-EFGH-JKMN-PQRS");
  EXPECT_EQ(normalize_code(" abcd-efgh jkmn\tpqrs\n"), "ABCDEFGHJKMNPQRS");
  for (char c : std::string("0O1IL")) EXPECT_EQ(kRecoveryCodeAlphabet.find(c), std::string_view::npos);
}

}  // namespace
}  // namespace portier
