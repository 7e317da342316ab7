#include "admin/support_service.h"

#include <algorithm>
#include <cctype>

#include <gtest/gtest.h>

#include "storage/stores/sql_email_change_store.h"
#include "storage/stores/sql_lockout_store.h"
#include "storage/stores/sql_outbox_store.h"
#include "storage/stores/sql_rate_limit_store.h"
#include "storage/stores/sql_recovery_store.h"
#include "storage/stores/sql_totp_store.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;
namespace sq = storage;

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
  sq::SqlOutboxStore outbox{s.db};
  sq::SqlRateLimitStore limits{s.db};
  sq::SqlRecoveryStore recovery_store{s.db};
  sq::SqlLockoutStore lockout_store{s.db};
  LockoutAdminService lockouts{*s.accounts, lockout_store, audit, s.clock};
  RateLimiter limiter{limits, s.clock};
  sq::SqlTotpStore totp_store{s.db};
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
  sq::SqlEmailChangeStore email_change_store{s.db};
  EmailChangeService email_change{*s.accounts, *s.flows, email_change_store, reauth, composer, audit, secrets,
                                  random, s.clock, nullptr, EmailChangeSettings{}};
  SupportServiceTest() { support.set_email_change(&email_change); }

  Account add(const std::string& id, Role role = Role::Member, const std::string& phone = "") {
    auto a = admin.add(NewAccount{id, id + "@example.org", "Dr " + id, phone, "", role, kPassword}, std::nullopt, {});
    EXPECT_TRUE(a) << (a ? "" : a.error().detail);
    return *s.accounts->find_by_id(a->id);  // with its password hash
  }
  Agent agent(const Account& a) { return Agent{a, kClient, "fr"}; }
  // The rank rule's door (what the Router does before every action).
  ConsoleTarget on(const Account& member, const Account& by) {
    auto t = support.target(member.id, agent(by), "test");
    EXPECT_TRUE(t && std::holds_alternative<ConsoleTarget>(*t)) << "the rule lets " << by.identifier << " act";
    return std::get<ConsoleTarget>(*t);
  }
  std::optional<RankRefusal> refusal(const Account& member, const Account& by) {
    auto t = support.target(member.id, agent(by), "/support/compte/statut");
    EXPECT_TRUE(t);
    auto* refused = t ? std::get_if<TargetRefused>(&*t) : nullptr;
    return refused ? std::optional(refused->why) : std::nullopt;
  }
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
  EXPECT_EQ(errors_of(support.send_password_reset(on(member, agent_account), a, {"  ", ""})),
            (FieldErrors{{"reason", "required"}}));
  EXPECT_EQ(errors_of(support.lift_suspension(on(member, agent_account), a, {"ok", "wrong"})),
            (FieldErrors{{"agent_password", "wrong_current"}}));
  EXPECT_EQ(errors_of(support.set_status(on(member, agent_account), AccountStatus::Disabled, a, {"", ""})),
            (FieldErrors{{"reason", "required"}, {"agent_password", "required"}}));
  EXPECT_EQ(errors_of(support.correct_email(on(member, agent_account), "x", a, {std::string(301, 'r'), kPassword})),
            (FieldErrors{{"reason", "reason_too_long"}, {"email", "invalid_email"}}));
  // Nothing happened.
  EXPECT_EQ(s.accounts->find_by_id(member.id)->status, AccountStatus::Active);
  EXPECT_TRUE(messages().empty());
}

TEST_F(SupportServiceTest, ATemporaryPasswordShownToTheAgentLasts72HoursAndIsAuditedWithTheAgentAndReason) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie");
  auto r = support.issue_temporary_password(on(member, agent_account), TemporaryDelivery::ShowToAgent,
                                            agent(agent_account), ok("appel du 12"));
  ASSERT_TRUE(r) << r.error().detail;
  auto& issued = std::get<TemporaryIssued>(*r);
  ASSERT_TRUE(issued.shown);
  EXPECT_EQ(issued.expires_at, s.clock.now() + 72h);
  auto stored = *s.accounts->find_by_id(member.id);
  EXPECT_TRUE(stored.password_is_temporary);
  EXPECT_TRUE(hasher.verify(stored.password_hash, issued.shown->password));
  // Shown, not mailed: the member's mailbox gets a notice without it.
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind, "account.staff_change");
  EXPECT_EQ(sent[0].body_text.find(issued.shown->password), std::string::npos) << "never the password";
  EXPECT_EQ(sent[0].body_text.find("appel du 12"), std::string::npos) << "never the agent's reason";
  auto e = events(member).front();
  EXPECT_EQ(e.event, "admin.user.temp_password");
  EXPECT_EQ(e.actor, agent_account.id);
  EXPECT_NE(e.detail.find("reason: appel du 12 (shown to the agent)"), std::string::npos) << e.detail;
  EXPECT_EQ(e.detail.find(issued.shown->password), std::string::npos);
}

TEST_F(SupportServiceTest, LiftingASuspensionTellsTheMemberWithoutTheReason) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie");
  auto r = support.lift_suspension(on(member, agent_account), agent(agent_account), ok("bloquée au téléphone"));
  ASSERT_TRUE(r) << r.error().detail;
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind, "account.staff_change");
  EXPECT_EQ(sent[0].recipient, member.email);
  EXPECT_NE(sent[0].subject.find("débloquée"), std::string::npos) << sent[0].subject;
  EXPECT_EQ(sent[0].body_text.find("bloquée au téléphone"), std::string::npos) << "never the agent's reason";
}

TEST_F(SupportServiceTest, ATemporaryPasswordMailedToTheMemberIsNotShownToTheAgent) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie");
  auto r = support.issue_temporary_password(on(member, agent_account), TemporaryDelivery::MailToMember,
                                            agent(agent_account), ok());
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

TEST_F(SupportServiceTest, ACorrectedEmailStartsTheMembersConfirmationAndWritesNothing) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie");
  auto r = support.correct_email(on(member, agent_account), "Marie.Nouvelle@Example.org", agent(agent_account), ok());
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r));
  EXPECT_EQ(s.accounts->find_by_id(member.id)->email, "marie@example.org") << "staff cannot prove the new mailbox";
  auto sent = messages();
  ASSERT_EQ(sent.size(), 2u);
  std::map<std::string, std::string> to;
  for (auto& m : sent) to[m.kind] = m.recipient;
  EXPECT_EQ(to["email_change.confirm"], "Marie.Nouvelle@example.org");  // the domain is lower-cased
  EXPECT_EQ(to["email_change.requested"], "marie@example.org");
  EXPECT_EQ(events(member).front().event, "support.email_change_requested");
  EXPECT_EQ(events(member).front().actor, agent_account.id);
  auto v = support.view(member.id);
  ASSERT_TRUE(v && v->pending_email);
  auto cancelled = support.cancel_email_change(on(member, agent_account), agent(agent_account), {"erreur", ""});
  ASSERT_TRUE(cancelled && std::holds_alternative<Done>(*cancelled));
  EXPECT_FALSE(support.view(member.id)->pending_email);
  EXPECT_EQ(events(member).front().event, "support.email_change_cancelled");
}

TEST_F(SupportServiceTest, ACorrectedMobileNumberIsStoredUnverifiedAndCodesGoByMail) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie", Role::Member, "+33611111111");
  auto verified = *s.accounts->find_by_id(member.id);
  verified.phone_verified_at = s.clock.now();
  verified.code_channel = CodeChannel::Sms;
  ASSERT_TRUE(s.accounts->update_profile(verified));
  auto r = support.correct_phone(on(member, agent_account), "06 12 34 56 78", agent(agent_account), ok());
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r));
  auto stored = *s.accounts->find_by_id(member.id);
  EXPECT_EQ(stored.phone, "+33612345678");
  EXPECT_FALSE(stored.phone_verified_at);
  EXPECT_EQ(stored.code_channel, CodeChannel::Email);
  ASSERT_EQ(messages().size(), 1u);
  EXPECT_EQ(messages()[0].recipient, "marie@example.org");
}

TEST_F(SupportServiceTest, AMobileOutsideTheAllowedPrefixesIsRefusedWhenTyped) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie");
  for (const char* foreign : {"+44 7911 123456", "+269 321 23 45"}) {
    auto r = support.correct_phone(on(member, agent_account), foreign, agent(agent_account), ok());
    ASSERT_TRUE(r);
    auto* invalid = std::get_if<Invalid>(&*r);
    ASSERT_NE(invalid, nullptr) << foreign;
    EXPECT_EQ(invalid->errors.at("phone"), "phone_prefix_refused");
  }
  EXPECT_FALSE(s.accounts->find_by_id(member.id)->phone);
  auto r = support.correct_phone(on(member, agent_account), "+590 690 12 34 56", agent(agent_account), ok());
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r)) << "Guadeloupe is France";
}

TEST_F(SupportServiceTest, OnlyAdministratorsChangeRolesOfLowerRanks) {
  auto agent_account = add("agent", Role::Support);
  auto boss = add("boss", Role::Admin);
  auto member = add("marie");
  auto r = support.set_role(on(member, agent_account), Role::Support, agent(agent_account), ok());
  ASSERT_TRUE(r);
  EXPECT_TRUE(std::holds_alternative<Refused>(*r));
  EXPECT_EQ(s.accounts->find_by_id(member.id)->role, Role::Member);
  EXPECT_EQ(events(member).front().event, "support.refused");
  EXPECT_EQ(events(member).front().detail, "action: set_role; rule: admin_only (support on member)");
  r = support.set_role(on(member, boss), Role::Admin, agent(boss), ok("renfort"));
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r));
  EXPECT_EQ(s.accounts->find_by_id(member.id)->role, Role::Admin);
  EXPECT_EQ(events(member).front().detail, "member -> admin; reason: renfort");
  // Now an administrator: out of the other administrator's reach, and neither acts on their own account.
  auto promoted = *s.accounts->find_by_id(member.id);
  EXPECT_EQ(refusal(promoted, boss), RankRefusal::SameOrHigherRank);
  EXPECT_EQ(refusal(boss, promoted), RankRefusal::SameOrHigherRank);
  EXPECT_EQ(refusal(boss, boss), RankRefusal::OwnAccount);
}

TEST_F(SupportServiceTest, TheRankRuleRefusesAndAuditsBeforeAnythingIsChecked) {
  auto agent_account = add("agent", Role::Support);
  auto colleague = add("colleague", Role::Support);
  auto boss = add("boss", Role::Admin);
  auto member = add("marie");
  EXPECT_EQ(refusal(boss, agent_account), RankRefusal::SameOrHigherRank);
  EXPECT_EQ(refusal(colleague, agent_account), RankRefusal::SameOrHigherRank);
  EXPECT_EQ(refusal(agent_account, agent_account), RankRefusal::OwnAccount);
  EXPECT_EQ(refusal(member, agent_account), std::nullopt);
  EXPECT_EQ(refusal(agent_account, boss), std::nullopt);
  auto e = events(boss).front();
  EXPECT_EQ(e.event, "support.refused");
  EXPECT_EQ(e.actor, agent_account.id);
  EXPECT_EQ(e.detail, "action: /support/compte/statut; rule: same_or_higher_rank (support on admin)");
  // No password was asked, so none was counted against the agent.
  EXPECT_EQ(locked_out_notices, 0);
  auto missing = support.target(9999, agent(agent_account), "test");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

TEST_F(SupportServiceTest, AStaffAccountsTemporaryPasswordIsMailedEvenWhenShowingWasAsked) {
  auto boss = add("boss", Role::Admin);
  auto colleague = add("colleague", Role::Support);
  auto r = support.issue_temporary_password(on(colleague, boss), TemporaryDelivery::ShowToAgent, agent(boss), ok());
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_FALSE(std::get<TemporaryIssued>(*r).shown);
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind, "account.temporary_password");
  EXPECT_EQ(sent[0].recipient, "colleague@example.org");
  auto detail = events(colleague).front().detail;
  EXPECT_NE(detail.find("never shown"), std::string::npos) << detail;
}

TEST_F(SupportServiceTest, SupportDisablesAMemberAndAnAdministratorASupportAgent) {
  auto boss = add("boss", Role::Admin);
  auto colleague = add("colleague", Role::Support);
  auto member = add("marie");
  auto r = support.set_status(on(member, colleague), AccountStatus::Disabled, agent(colleague), ok());
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r));
  EXPECT_EQ(s.accounts->find_by_id(member.id)->status, AccountStatus::Disabled);
  EXPECT_EQ(events(member).front().event, "admin.user.disable");
  r = support.set_status(on(colleague, boss), AccountStatus::Disabled, agent(boss), ok());
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r));
  EXPECT_EQ(s.accounts->find_by_id(colleague.id)->status, AccountStatus::Disabled);
}

TEST_F(SupportServiceTest, ResendingAnInvitationGoesThroughTheActivationFlowAndIsAudited) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie");
  auto r = support.resend_invitation(on(member, agent_account), agent(agent_account), {"à sa demande", ""});
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r));
  EXPECT_EQ(invitations, 1);
  EXPECT_EQ(events(member).front().event, "support.invitation");
  EXPECT_EQ(events(member).front().detail, "reason: à sa demande");
}


TEST_F(SupportServiceTest, TheAgentsPasswordCoversTheSensitiveActionsOfItsSessionForThePeriod) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie");
  auto issued = sessions.start(agent_account.id, kClient, "pwd+app");
  ASSERT_TRUE(issued);
  auto in_session = [&] {
    auto session = sessions.resume(issued->token);
    EXPECT_TRUE(session);
    return Agent{agent_account, kClient, "fr", session->id_hash, session->confirmed_at};
  };
  EXPECT_FALSE(support.confirmed_until(in_session()));
  // A wrong password starts nothing.
  auto wrong = support.confirm(in_session(), "pas le bon");
  ASSERT_TRUE(wrong);
  ASSERT_TRUE(std::holds_alternative<Invalid>(*wrong));
  EXPECT_FALSE(support.confirmed_until(in_session()));
  auto right = support.confirm(in_session(), kPassword);
  ASSERT_TRUE(right);
  ASSERT_TRUE(std::holds_alternative<Done>(*right));
  auto until = support.confirmed_until(in_session());
  ASSERT_TRUE(until);
  EXPECT_EQ(*until, s.clock.now() + std::chrono::minutes(5));
  auto events = *audit.recent_for_account(agent_account.id, 10);
  EXPECT_EQ(events.front().event, "support.confirmed");

  // Within the period: a reason, no password.
  auto done = support.lift_suspension(on(member, agent_account), in_session(), {"appel du membre", ""});
  ASSERT_TRUE(done);
  EXPECT_TRUE(std::holds_alternative<Done>(*done));
  // Past it: the password again.
  s.clock.advance(std::chrono::minutes(5));
  EXPECT_FALSE(support.confirmed_until(in_session()));
  EXPECT_EQ(errors_of(support.lift_suspension(on(member, agent_account), in_session(), {"appel", ""})),
            (FieldErrors{{"agent_password", "required"}}));
  // Another session of the same agent was never confirmed.
  auto other = sessions.start(agent_account.id, kClient, "pwd+app");
  auto other_session = *sessions.resume(other->token);
  EXPECT_FALSE(support.confirmed_until(Agent{agent_account, kClient, "fr", other_session.id_hash, other_session.confirmed_at}));
}

TEST_F(SupportServiceTest, ATemporaryPasswordLiftsTheSuspensionAndIsAcceptedInAnyCaseAndSpacing) {
  auto agent_account = add("agent", Role::Support);
  auto member = add("marie");
  // Sign-in suspended for unknown browsers (what five wrong passwords do).
  LockoutRule rule{"pw:untrusted:" + std::to_string(member.id), member.id, 1, std::chrono::hours(1)};
  ASSERT_TRUE(lockout_store.claim({rule}, s.clock.now()));  // counts the attempt
  ASSERT_TRUE(lockout_store.record_failure({rule}, s.clock.now()));
  ASSERT_TRUE(*support.is_blocked(member));
  auto outcome = support.issue_temporary_password(on(member, agent_account), TemporaryDelivery::ShowToAgent,
                                                  agent(agent_account), ok());
  ASSERT_TRUE(outcome);
  auto& issued = std::get<TemporaryIssued>(*outcome);
  ASSERT_TRUE(issued.shown);
  EXPECT_FALSE(*support.is_blocked(member));
  auto events = *audit.recent_for_account(member.id, 10);
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](auto& e) {
    return e.event == "admin.user.unlock" && e.detail.find("temporary password") != std::string::npos;
  }));
  // Stored as the hash of its canonical form: what the member types, in any
  // case and spacing, comes back to it.
  auto stored = *s.accounts->find_by_id(member.id);
  std::string spaced;
  for (char c : issued.shown->password) spaced += c == '-' ? ' ' : static_cast<char>(std::toupper(c));
  EXPECT_TRUE(hasher.verify(stored.password_hash, canonical_temporary_password(spaced)));
}

TEST_F(SupportServiceTest, SearchTakesWordsInAnyOrderWithoutTitlesOrAccents) {
  auto a = admin.add(NewAccount{"cmartin", "c@example.org", "Claire Martin", "", "", Role::Member, kPassword},
                     std::nullopt, {});
  auto h = admin.add(NewAccount{"hlevy", "h@example.org", "Hélène Lévy", "+33612345678", "", Role::Member, kPassword},
                     std::nullopt, {});
  ASSERT_TRUE(a && h);
  auto ids = [&](std::string_view q) {
    std::vector<std::string> out;
    auto r = support.search(q);  // kept: the loop must not range over a destroyed temporary
    EXPECT_TRUE(r);
    if (r)
      for (auto& x : *r) out.push_back(x.identifier);
    return out;
  };
  EXPECT_EQ(ids("martin claire"), std::vector<std::string>{"cmartin"});
  EXPECT_EQ(ids("Dr Martin"), std::vector<std::string>{"cmartin"});
  EXPECT_EQ(ids("Docteur Claire MARTIN"), std::vector<std::string>{"cmartin"});
  EXPECT_EQ(ids("helene levy"), std::vector<std::string>{"hlevy"});
  EXPECT_EQ(ids("Hélène"), std::vector<std::string>{"hlevy"});
  EXPECT_EQ(ids("06 12 34 56 78"), std::vector<std::string>{"hlevy"});
  EXPECT_TRUE(ids("\xFF\xFE").empty());
}

}  // namespace
}  // namespace portier

namespace portier {
namespace {

TEST_F(SupportServiceTest, RemovingALinkIsForAdministratorsWithAReasonAndTheirPassword) {
  auto agent_account = add("agent", Role::Support);
  auto boss = add("boss", Role::Admin);
  auto member = add("marie");
  std::vector<std::string> removed;
  auto remover = [&](std::string_view reason) -> Result<bool> {
    removed.emplace_back(reason);
    return true;
  };
  // A support agent: refused and audited, whatever was typed, nothing removed.
  auto r = support.remove_link(on(member, agent_account), agent(agent_account), ok(), "card_unlink", remover);
  ASSERT_TRUE(r);
  EXPECT_TRUE(std::holds_alternative<Refused>(*r));
  EXPECT_EQ(events(member).front().event, "support.refused");
  EXPECT_EQ(events(member).front().detail, "action: card_unlink; rule: admin_only (support on member)");
  // An administrator: reason and password both asked, then a wrong password.
  EXPECT_EQ(errors_of(support.remove_link(on(member, boss), agent(boss), {" ", ""}, "card_unlink", remover)),
            (FieldErrors{{"reason", "required"}, {"agent_password", "required"}}));
  EXPECT_EQ(errors_of(support.remove_link(on(member, boss), agent(boss), {"volée", "faux"}, "card_unlink", remover)),
            (FieldErrors{{"agent_password", "wrong_current"}}));
  EXPECT_TRUE(removed.empty());
  // Right: the reason reaches the removal trimmed and on one line.
  r = support.remove_link(on(member, boss), agent(boss), ok("  carte volée\nappel du 3 décembre "), "card_unlink",
                          remover);
  ASSERT_TRUE(r && std::holds_alternative<Done>(*r));
  EXPECT_EQ(removed, std::vector<std::string>{"carte volée appel du 3 décembre"});
  // Nothing was linked: Done all the same (the page says it is gone).
  r = support.remove_link(on(member, boss), agent(boss), ok(), "federation_unlink",
                          [](std::string_view) -> Result<bool> { return false; });
  EXPECT_TRUE(r && std::holds_alternative<Done>(*r));
  // A failing removal is a failure, not Done.
  r = support.remove_link(on(member, boss), agent(boss), ok(), "card_unlink",
                          [](std::string_view) -> Result<bool> { return fail(ErrorCode::Unavailable, "down"); });
  EXPECT_FALSE(r);
}

}  // namespace
}  // namespace portier
