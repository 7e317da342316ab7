#include "flow/email_change/email_change_service.h"

#include <gtest/gtest.h>

#include <regex>

#include "credential/totp.h"
#include "flow/recovery/recovery_service.h"
#include "storage/stores/sql_email_change_store.h"
#include "storage/stores/sql_lockout_store.h"
#include "storage/stores/sql_recovery_store.h"
#include "storage/stores/sql_totp_store.h"
#include "support/service_parts.h"

namespace portier {
namespace {

using namespace std::chrono_literals;
using testing_support::kTestPassword;
namespace sq = storage;

const ClientInfo kClient{"203.0.113.7", "test"};

class EmailChangeServiceTest : public ::testing::Test, protected testing_support::ServiceParts {
protected:
  sq::SqlLockoutStore lockouts{s.db};
  sq::SqlTotpStore totp_store{s.db};
  TotpService totp{totp_store, secrets, random, s.clock, "portier"};
  Reauthentication reauth{hasher, lockouts, sessions, totp, audit, s.clock, nullptr, ReauthSettings{5}};
  sq::SqlEmailChangeStore store{s.db};
  EmailChangeService service{*s.accounts, *s.flows, store,  reauth,  composer, audit, secrets,
                             random,      s.clock,   nullptr, EmailChangeSettings{24h, 12, 3, 120s, "https://portail.example"}};
  sq::SqlRecoveryStore recovery_store{s.db};
  RecoveryService recovery{*s.accounts, *s.flows, recovery_store, limiter, composer, hasher, policy, audit, secrets,
                           random, s.clock, nullptr, RecoverySettings{}};
  Account marie = add_member("marie");

  Result<EmailChangeRequestOutcome> ask(std::string_view to, std::string_view password = kTestPassword,
                                        std::string_view app_code = {}, BrowserSession browser = {}) {
    return service.request(marie.id, to, password, app_code, "fr", browser, kClient);
  }
  std::string email() { return s.accounts->find_by_id(marie.id)->email; }
  // The newest message of `kind` and what its text carries after `label`.
  OutboundMessage last(const std::string& kind) {
    auto list = messages();
    for (auto& m : list)
      if (m.kind == kind) return m;
    ADD_FAILURE() << "no " << kind;
    return {};
  }
  static std::string find(const std::string& text, const std::string& pattern) {
    std::smatch m;
    return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : std::string();
  }
  std::string link() { return find(last("email_change.confirm").body_text, "confirmer\\?jeton=([A-Za-z0-9_-]+)"); }
  std::string code() { return find(last("email_change.confirm").body_text, "\\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\\b"); }
  std::string cancel_link() {
    return find(last("email_change.requested").body_text, "pas-moi\\?jeton=([A-Za-z0-9_-]+)");
  }
  std::vector<AuditEvent> events() { return *audit.recent_for_account(marie.id, 100); }
  bool has_event(const std::string& name) {
    for (auto& e : events())
      if (e.event == name) return true;
    return false;
  }
};

TEST_F(EmailChangeServiceTest, WithoutTheRightPasswordNothingIsSentOrChanged) {
  auto r = ask("marie.new@example.org", "faux");
  ASSERT_TRUE(r) << r.error().detail;
  auto* invalid = std::get_if<Invalid>(&*r);
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->errors.at("email_password"), "wrong_current");
  EXPECT_TRUE(messages().empty());
  EXPECT_EQ(email(), "marie@example.org");
  auto none = ask("marie.new@example.org", "");
  EXPECT_EQ(std::get<Invalid>(*none).errors.at("email_password"), "required");
}

TEST_F(EmailChangeServiceTest, AnEnrolledAppIsAskedForToo) {
  auto e = totp.start_enrolment(*s.accounts->find_by_id(marie.id));
  auto secret = *totp::base32_decode(e->secret_base32);
  ASSERT_TRUE(totp.confirm_enrolment(marie.id, totp::generate(secret, s.clock.now())));
  s.clock.advance(30s);
  auto missing = ask("marie.new@example.org");
  EXPECT_EQ(std::get<Invalid>(*missing).errors.at("email_app_code"), "required");
  auto wrong = ask("marie.new@example.org", kTestPassword, "000000");
  EXPECT_EQ(std::get<Invalid>(*wrong).errors.at("email_app_code"), "wrong_code");
  EXPECT_TRUE(messages().empty());
  auto ok = ask("marie.new@example.org", kTestPassword, totp::generate(secret, s.clock.now()));
  EXPECT_TRUE(std::holds_alternative<EmailChangeRequested>(*ok));
}

TEST_F(EmailChangeServiceTest, ARequestMailsTheNewAddressAndTellsTheOldOneButChangesNothing) {
  auto r = ask("Marie.New@Example.org");
  ASSERT_TRUE(r && std::holds_alternative<EmailChangeRequested>(*r));
  EXPECT_EQ(email(), "marie@example.org");
  EXPECT_EQ(last("email_change.confirm").recipient, "Marie.New@example.org");
  EXPECT_FALSE(link().empty());
  EXPECT_EQ(code().size(), 12u + 2u);  // grouped by four
  auto told = last("email_change.requested");
  EXPECT_EQ(told.recipient, "marie@example.org");
  EXPECT_FALSE(cancel_link().empty());
  EXPECT_EQ(told.body_text.find("Marie.New@example.org"), std::string::npos) << "the old address sees it masked";
  auto pending = service.pending(marie.id);
  ASSERT_TRUE(pending && *pending);
  EXPECT_EQ((*pending)->expires_at, s.clock.now() + 24h);
  auto e = events().front();
  EXPECT_EQ(e.event, "email_change.requested");
  EXPECT_EQ(e.detail, "m•••••@example.org -> M•••••@example.org");
}

TEST_F(EmailChangeServiceTest, TheCodeSwitchesOnceRevokesRecoveryLinksAndEndsOtherSessions) {
  ASSERT_TRUE(recovery.request("marie", "fr", kClient));
  auto reset_link = find(last("recovery.password").body_text, "nouveau\\?jeton=([A-Za-z0-9_-]+)");
  ASSERT_TRUE(recovery.check_secret(RecoverySecret::Link, reset_link));
  auto mine = *sessions.start(marie.id, kClient);
  auto other = *sessions.start(marie.id, kClient);
  BrowserSession browser{sessions.hash_of(mine.token), marie.id};
  ASSERT_TRUE(ask("marie.new@example.org", kTestPassword, {}, browser));
  auto typed = code();
  auto r = service.confirm_code(marie.id, typed, browser, kClient);
  ASSERT_TRUE(r) << r.error().detail;
  ASSERT_TRUE(std::holds_alternative<EmailChanged>(*r));
  EXPECT_EQ(std::get<EmailChanged>(*r).sessions_ended, 1);
  EXPECT_EQ(email(), "marie.new@example.org");
  EXPECT_FALSE(recovery.check_secret(RecoverySecret::Link, reset_link)) << "the reset link died with the old address";
  EXPECT_TRUE(sessions.resume(mine.token)) << "the confirming browser stays signed in";
  EXPECT_FALSE(sessions.resume(other.token));
  auto done = last("email_change.done");
  EXPECT_EQ(done.recipient, "marie@example.org");
  EXPECT_NE(done.body_text.find("/assistance"), std::string::npos);
  auto e = events().front();
  EXPECT_EQ(e.event, "email_change.completed");
  EXPECT_NE(e.detail.find("m•••••@example.org -> m•••••@example.org"), std::string::npos) << e.detail;
  EXPECT_EQ(e.detail.find("marie.new"), std::string::npos);
  // Single use: neither the code nor the link works again.
  EXPECT_FALSE(service.confirm_code(marie.id, typed, browser, kClient));
  EXPECT_FALSE(service.confirm_link(link(), browser, kClient));
}

TEST_F(EmailChangeServiceTest, TheLinkSwitchesAndTheCodeThenFails) {
  ASSERT_TRUE(ask("marie.new@example.org"));
  ASSERT_TRUE(service.check_link(link()));
  EXPECT_EQ(email(), "marie@example.org") << "looking at the link changes nothing";
  auto r = service.confirm_link(link(), {}, kClient);
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(email(), "marie.new@example.org");
  EXPECT_FALSE(service.check_link(link()));
  EXPECT_FALSE(service.confirm_code(marie.id, code(), {}, kClient));
}

TEST_F(EmailChangeServiceTest, WrongCodesAreCountedAndExhaustTheRequest) {
  ASSERT_TRUE(ask("marie.new@example.org"));
  auto right = code();
  EXPECT_EQ(std::get<EmailCodeWrong>(*service.confirm_code(marie.id, "AAAA-AAAA-AAAA", {}, kClient)).attempts_left, 2);
  EXPECT_EQ(std::get<EmailCodeWrong>(*service.confirm_code(marie.id, "AAAA-AAAA-AAAB", {}, kClient)).attempts_left, 1);
  EXPECT_EQ(std::get<EmailCodeWrong>(*service.confirm_code(marie.id, "AAAA-AAAA-AAAC", {}, kClient)).attempts_left, 0);
  auto late = service.confirm_code(marie.id, right, {}, kClient);
  ASSERT_TRUE(late);
  EXPECT_TRUE(std::holds_alternative<EmailCodeWrong>(*late)) << "the right code after the last try is refused";
  EXPECT_EQ(email(), "marie@example.org");
  EXPECT_TRUE(has_event("email_change.code_rejected"));
}

TEST_F(EmailChangeServiceTest, TheLinkAndCodeExpire) {
  ASSERT_TRUE(ask("marie.new@example.org"));
  s.clock.advance(24h);
  auto checked = service.check_link(link());
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::Expired);
  EXPECT_FALSE(service.confirm_link(link(), {}, kClient));
  EXPECT_FALSE(service.confirm_code(marie.id, code(), {}, kClient));
  EXPECT_FALSE(*service.pending(marie.id));
  EXPECT_EQ(email(), "marie@example.org");
}

TEST_F(EmailChangeServiceTest, ANewerRequestRevokesTheOlderOneAfterTheCooldown) {
  ASSERT_TRUE(ask("first@example.org"));
  auto first = link();
  auto too_soon = ask("second@example.org");
  EXPECT_EQ(std::get<Invalid>(*too_soon).errors.at("new_email"), "email_too_soon");
  s.clock.advance(121s);
  ASSERT_TRUE(std::holds_alternative<EmailChangeRequested>(*ask("second@example.org")));
  EXPECT_FALSE(service.check_link(first));
  ASSERT_TRUE(service.confirm_link(link(), {}, kClient));
  EXPECT_EQ(email(), "second@example.org");
}

TEST_F(EmailChangeServiceTest, ThisWasNotMeCancelsThePendingChange) {
  ASSERT_TRUE(ask("thief@example.org"));
  ASSERT_TRUE(service.check_cancel_link(cancel_link()));
  ASSERT_TRUE(service.cancel_by_link(cancel_link(), kClient));
  EXPECT_FALSE(*service.pending(marie.id));
  EXPECT_FALSE(service.confirm_link(link(), {}, kClient));
  EXPECT_FALSE(service.cancel_by_link(cancel_link(), kClient)) << "single use";
  EXPECT_EQ(email(), "marie@example.org");
  EXPECT_TRUE(has_event("email_change.cancelled"));
}

TEST_F(EmailChangeServiceTest, AnAddressOfAnotherAccountGetsTheSameAnswer) {
  add_member("paul", "paul@example.org");
  auto r = ask("paul@example.org");
  ASSERT_TRUE(r);
  EXPECT_TRUE(std::holds_alternative<EmailChangeRequested>(*r));
  EXPECT_EQ(last("email_change.confirm").recipient, "paul@example.org");
}

TEST_F(EmailChangeServiceTest, StaffStartTheSameFlowWithoutTheMembersPassword) {
  auto agent = add_member("agent");
  auto r = service.request_by_staff(*s.accounts->find_by_id(marie.id), "marie.new@example.org", agent.id,
                                    "appel du 12", "fr", kClient);
  ASSERT_TRUE(r && std::holds_alternative<EmailChangeRequested>(*r));
  EXPECT_EQ(email(), "marie@example.org");
  EXPECT_TRUE((*service.pending(marie.id))->by_staff);
  auto e = events().front();
  EXPECT_EQ(e.event, "support.email_change_requested");
  EXPECT_EQ(e.actor, agent.id);
  EXPECT_NE(e.detail.find("reason: appel du 12"), std::string::npos);
  ASSERT_TRUE(*service.cancel(marie.id, agent.id, "erreur", kClient));
  EXPECT_FALSE(*service.pending(marie.id));
  EXPECT_EQ(events().front().event, "support.email_change_cancelled");
}

}  // namespace
}  // namespace portier
