#include "admin/support_service.h"

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_lockout_store.h"
#include "storage/sqlite/sqlite_outbox_store.h"
#include "storage/sqlite/sqlite_rate_limit_store.h"
#include "storage/sqlite/sqlite_recovery_store.h"
#include "storage/sqlite/sqlite_totp_store.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;
namespace sq = storage::sqlite;

const Argon2Params kFast{1024, 1, 1};
const char* kPassword = "une longue phrase de passe";
const ClientInfo kClient{"203.0.113.7", "test"};

class SupportServiceTest : public ::testing::Test {
protected:
  testing_support::SqliteStores s;
  SecretHasher secrets{std::string(32, 'k')};
  SodiumRandom random;
  AuditLog audit{*s.audit, s.clock};
  PasswordHasher hasher{kFast};
  PasswordPolicy policy{PasswordPolicyConfig{}, std::make_shared<PasswordBlocklist>(PasswordBlocklist::from_words({}))};
  SessionService sessions{*s.sessions, secrets, random, s.clock, SessionPolicy{}};
  AccountAdminService admin{*s.accounts, sessions, hasher, policy, audit, random, s.clock, AdminSettings{"portier"}};
  sq::SqliteOutboxStore outbox{s.db};
  sq::SqliteRateLimitStore limits{s.db};
  sq::SqliteRecoveryStore recovery_store{s.db};
  sq::SqliteLockoutStore lockout_store{s.db};
  LockoutAdminService lockouts{*s.accounts, lockout_store, audit, s.clock};
  RateLimiter limiter{limits, s.clock};
  sq::SqliteTotpStore totp_store{s.db};
  TotpService totp{totp_store, secrets, random, s.clock, "portier"};
  int locked_out_notices = 0;
  Reauthentication reauth{hasher, lockout_store, sessions, totp, audit, s.clock,
                          [this](const Account&, const ClientInfo&) { ++locked_out_notices; }};
  MessageComposer composer{std::string(PORTIER_SOURCE_DIR) + "/templates/mail", "portier", "https://portail.example"};
  IdentifierReminderService reminder{*s.accounts, outbox, limiter, composer, audit, secrets, s.clock, nullptr,
                                     IdentifierReminderSettings{}};
  RecoveryService recovery{*s.accounts, *s.flows, recovery_store, limiter, composer, hasher, policy, audit, secrets,
                           random, s.clock, nullptr, RecoverySettings{}};
  int invitations = 0;
  SupportService support{*s.accounts, admin, lockouts, outbox, audit, sessions, reminder, recovery, composer, reauth,
                         s.clock, nullptr,
                         [this](const Account&, std::string_view, AccountId, const ClientInfo&) -> Result<void> {
                           ++invitations;
                           return {};
                         },
                         SupportSettings{}};

  Account add(const std::string& id, Role role = Role::Member, const std::string& phone = "") {
    auto a = admin.add(NewAccount{id, id + "@example.org", "Dr " + id, phone, "", role, kPassword}, std::nullopt, {});
    EXPECT_TRUE(a) << (a ? "" : a.error().detail);
    return *s.accounts->find_by_id(a->id);  // with its password hash
  }
  Agent agent(const Account& a) { return Agent{a, kClient, "fr"}; }
  std::vector<OutboundMessage> messages() { return *outbox.list(100, 0); }
  std::vector<AuditEvent> events(const Account& a) { return *audit.recent_for_account(a.id, 50); }
  static AgentConfirmation ok(std::string_view reason = "appel du membre") { return {reason, kPassword}; }
};

template <typename Outcome>
FieldErrors errors_of(const Result<Outcome>& r) {
  EXPECT_TRUE(r) << (r ? "" : r.error().detail);
  auto* invalid = r ? std::get_if<Invalid>(&*r) : nullptr;
  return invalid ? invalid->errors : FieldErrors{};
}

TEST_F(SupportServiceTest, SearchNeedsTwoCharactersAndFindsANumberTypedAsHeard) {
  add("marie", Role::Member, "+33612345678");
  add("paul");
  EXPECT_TRUE(support.search("m")->empty());
  auto found = support.search("06 12 34 56 78");
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].identifier, "marie");
  EXPECT_EQ(support.search("example.org")->size(), 2u);
}

TEST_F(SupportServiceTest, EveryActionNeedsAReasonAndSensitiveOnesTheAgentsPassword) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie");
  auto a = agent(agent_account);
  EXPECT_EQ(errors_of(support.send_password_reset(member.id, a, {"  ", ""})), (FieldErrors{{"reason", "required"}}));
  EXPECT_EQ(errors_of(support.lift_suspension(member.id, a, {"ok", "wrong"})),
            (FieldErrors{{"agent_password", "wrong_current"}}));
  EXPECT_EQ(errors_of(support.set_status(member.id, AccountStatus::Disabled, a, {"", ""})),
            (FieldErrors{{"reason", "required"}, {"agent_password", "required"}}));
  EXPECT_EQ(errors_of(support.correct_email(member.id, "x", a, {std::string(301, 'r'), kPassword})),
            (FieldErrors{{"reason", "reason_too_long"}, {"email", "invalid_email"}}));
  // Nothing happened.
  EXPECT_EQ(s.accounts->find_by_id(member.id)->status, AccountStatus::Active);
  EXPECT_TRUE(messages().empty());
}

TEST_F(SupportServiceTest, ATemporaryPasswordShownToTheAgentLasts72HoursAndIsAuditedWithTheAgentAndReason) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie");
  auto r = support.issue_temporary_password(member.id, TemporaryDelivery::ShowToAgent, agent(agent_account),
                                            ok("appel du 12"));
  ASSERT_TRUE(r) << r.error().detail;
  auto& issued = std::get<TemporaryIssued>(*r);
  ASSERT_TRUE(issued.shown);
  EXPECT_EQ(issued.expires_at, s.clock.now() + 72h);
  auto stored = *s.accounts->find_by_id(member.id);
  EXPECT_TRUE(stored.password_is_temporary);
  EXPECT_TRUE(hasher.verify(stored.password_hash, issued.shown->password));
  EXPECT_TRUE(messages().empty()) << "shown, not mailed";
  auto e = events(member).front();
  EXPECT_EQ(e.event, "admin.user.temp_password");
  EXPECT_EQ(e.actor, agent_account.id);
  EXPECT_NE(e.detail.find("reason: appel du 12 (shown to the agent)"), std::string::npos) << e.detail;
  EXPECT_EQ(e.detail.find(issued.shown->password), std::string::npos);
}

TEST_F(SupportServiceTest, ATemporaryPasswordMailedToTheMemberIsNotShownToTheAgent) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie");
  auto r = support.issue_temporary_password(member.id, TemporaryDelivery::MailToMember, agent(agent_account), ok());
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_FALSE(std::get<TemporaryIssued>(*r).shown);
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind, "account.temporary_password");
  EXPECT_EQ(sent[0].recipient, "marie@example.org");
  // The mailed password is the one that works.
  auto stored = *s.accounts->find_by_id(member.id);
  auto at = sent[0].body_text.find('-');
  ASSERT_NE(at, std::string::npos);
  EXPECT_TRUE(hasher.verify(stored.password_hash, sent[0].body_text.substr(at - 4, 19)));
}

TEST_F(SupportServiceTest, ACorrectedEmailIsToldToTheOldAddress) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie");
  auto r = support.correct_email(member.id, "Marie.Nouvelle@Example.org", agent(agent_account), ok());
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r));
  EXPECT_EQ(s.accounts->find_by_id(member.id)->email, "Marie.Nouvelle@example.org");  // the domain is lower-cased
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind, "account.contact_changed");
  EXPECT_EQ(sent[0].recipient, "marie@example.org");
  EXPECT_EQ(events(member).front().event, "support.email_corrected");
  EXPECT_EQ(events(member).front().actor, agent_account.id);
}

TEST_F(SupportServiceTest, ACorrectedMobileNumberIsStoredUnverifiedAndCodesGoByMail) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie", Role::Member, "+33611111111");
  auto verified = *s.accounts->find_by_id(member.id);
  verified.phone_verified_at = s.clock.now();
  verified.code_channel = CodeChannel::Sms;
  ASSERT_TRUE(s.accounts->update_profile(verified));
  auto r = support.correct_phone(member.id, "06 12 34 56 78", agent(agent_account), ok());
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r));
  auto stored = *s.accounts->find_by_id(member.id);
  EXPECT_EQ(stored.phone, "+33612345678");
  EXPECT_FALSE(stored.phone_verified_at);
  EXPECT_EQ(stored.code_channel, CodeChannel::Email);
  ASSERT_EQ(messages().size(), 1u);
  EXPECT_EQ(messages()[0].recipient, "marie@example.org");
}

TEST_F(SupportServiceTest, OnlyAdministratorsChangeRolesAndTheLastAdministratorStaysOne) {
  auto agent_account = add("agent", Role::Support);
  auto boss = add("boss", Role::Admin);
  auto member = add("marie");
  auto r = support.set_role(member.id, Role::Support, agent(agent_account), ok());
  ASSERT_TRUE(r);
  EXPECT_TRUE(std::holds_alternative<Refused>(*r));
  EXPECT_EQ(errors_of(support.set_role(boss.id, Role::Member, agent(boss), ok())), (FieldErrors{{"role", "last_admin"}}));
  r = support.set_role(member.id, Role::Admin, agent(boss), ok("renfort"));
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r));
  EXPECT_EQ(s.accounts->find_by_id(member.id)->role, Role::Admin);
  EXPECT_EQ(events(member).front().detail, "member -> admin; reason: renfort");
  // With two administrators, one may step down.
  r = support.set_role(boss.id, Role::Member, agent(boss), ok());
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r));
}

TEST_F(SupportServiceTest, SupportCannotDisableAnAdministratorNorThemselves) {
  auto agent_account = add("agent", Role::Support);
  auto boss = add("boss", Role::Admin);
  auto member = add("marie");
  EXPECT_TRUE(std::holds_alternative<Refused>(*support.set_status(boss.id, AccountStatus::Disabled, agent(agent_account), ok())));
  EXPECT_TRUE(std::holds_alternative<Refused>(
      *support.set_status(agent_account.id, AccountStatus::Disabled, agent(agent_account), ok())));
  auto r = support.set_status(member.id, AccountStatus::Disabled, agent(agent_account), ok());
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r));
  EXPECT_EQ(s.accounts->find_by_id(member.id)->status, AccountStatus::Disabled);
  EXPECT_EQ(events(member).front().event, "admin.user.disable");
}

TEST_F(SupportServiceTest, ResendingAnInvitationGoesThroughTheActivationFlowAndIsAudited) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie");
  auto r = support.resend_invitation(member.id, agent(agent_account), {"à sa demande", ""});
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r));
  EXPECT_EQ(invitations, 1);
  EXPECT_EQ(events(member).front().event, "support.invitation");
  EXPECT_EQ(events(member).front().detail, "reason: à sa demande");
}

}  // namespace
}  // namespace portier
