#include "assistance/assistance_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "assistance/request_reference.h"
#include "storage/stores/sql_assistance_store.h"
#include "storage/stores/sql_rate_limit_store.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;
namespace sq = storage;

const ClientInfo kClient{"203.0.113.7", "test"};

class AssistanceServiceTest : public ::testing::Test {
protected:
  // Slots and the mailed time are local times: pinned to UTC here.
  void SetUp() override {
    if (const char* tz = std::getenv("TZ")) saved_tz = tz;
    setenv("TZ", "UTC", 1);
    tzset();
    Account a;
    a.identifier = "marie";
    a.email = "marie@example.org";
    a.display_name = "Dr Marie";
    marie = *s.accounts->create(a);
    a.identifier = "agent";
    a.email = "agent@example.org";
    a.role = Role::Support;
    agent = *s.accounts->create(a);
  }
  void TearDown() override {
    if (saved_tz) setenv("TZ", saved_tz->c_str(), 1);
    else unsetenv("TZ");
    tzset();
  }
  std::optional<std::string> saved_tz;

  testing_support::SqliteStores s;  // FakeClock: Friday 15 January 2027, 08:00
  AuditLog audit{*s.audit, s.clock};
  sq::SqlAssistanceStore store{s.db};
  sq::SqlRateLimitStore limits{s.db};
  RateLimiter limiter{limits, s.clock};
  MessageComposer composer{std::string(PORTIER_SOURCE_DIR) + "/templates/mail", "portier", "https://portail.example"};
  testing_support::CountingRandom random;
  AssistanceService service{*s.accounts, store, limiter, composer, audit, s.clock, random, nullptr, AssistanceSettings{}};
  Account marie, agent;

  // The form's values: the first offered slot of each part of a day.
  std::string slot(std::size_t i) { return std::to_string(to_unix(service.offered_parts().at(i).start)); }
  AssistanceForm form(std::string target = "marie") {
    return AssistanceForm{std::move(target), "Marie", "06 12 34 56 78", "Je n'arrive plus à me connecter.", {slot(0), slot(3)}};
  }
  std::vector<OutboundMessage> messages() { return *s.outbox->list(100, 0); }
  AssistanceProblems problems_of(const Result<AssistanceOutcome>& r) {
    EXPECT_TRUE(r);
    auto* rejected = std::get_if<AssistanceRejected>(&*r);
    return rejected ? rejected->problems : AssistanceProblems{};
  }
};

TEST_F(AssistanceServiceTest, AKnownIdentifierIsLinkedForStaffButMailsNobody) {
  auto r = service.submit(form(" Marie "), "fr", kClient);
  ASSERT_TRUE(r);
  ASSERT_TRUE(std::holds_alternative<AssistanceReceived>(*r));
  auto queue = *service.queue(AssistanceStatus::New);
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].account, marie.id);
  EXPECT_FALSE(queue[0].email) << "never the account's address found by lookup";
  EXPECT_EQ(queue[0].phone, "+33612345678");
  EXPECT_EQ(queue[0].preferred_slots.size(), 2u);
  EXPECT_TRUE(messages().empty()) << "typing a member's identifier makes the portal write to nobody";
  EXPECT_EQ(service.for_account(marie.id)->size(), 1u);
}

TEST_F(AssistanceServiceTest, TheAcknowledgementGoesToTheTypedAddressWithNothingTyped) {
  auto f = form("marie@example.org");
  f.name = "Cliquez ici http://evil.example";
  f.message = "Votre compte sera fermé, appelez le 08 99 00 00 00";
  ASSERT_TRUE(service.submit(f, "fr", kClient));
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind, "assistance.acknowledgement");
  EXPECT_EQ(sent[0].recipient, "marie@example.org");
  for (const auto* part : {&sent[0].subject, &sent[0].body_text, &sent[0].body_html}) {
    EXPECT_EQ(part->find("evil"), std::string::npos) << "the name is not echoed";
    EXPECT_EQ(part->find("Cliquez"), std::string::npos);
    EXPECT_EQ(part->find("08 99"), std::string::npos) << "the message is not echoed";
    EXPECT_EQ(part->find("fermé"), std::string::npos);
    EXPECT_EQ(part->find("12 34 56"), std::string::npos) << "nor the phone typed";
  }
}

TEST_F(AssistanceServiceTest, AnUnknownIdentifierGetsTheSameOutcomeAndNoMessage) {
  auto r = service.submit(form("personne"), "fr", kClient);
  ASSERT_TRUE(r);
  EXPECT_TRUE(std::holds_alternative<AssistanceReceived>(*r));
  EXPECT_TRUE(messages().empty());
  EXPECT_FALSE(service.queue(AssistanceStatus::New)->at(0).account);
}

TEST_F(AssistanceServiceTest, ASignedInMemberAskingAboutHerOwnAccountIsAnsweredAtHerAddress) {
  marie.status = AccountStatus::Active;
  ASSERT_TRUE(service.submit(form("marie"), "fr", kClient, marie));
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].recipient, "marie@example.org");
  EXPECT_EQ(service.queue(AssistanceStatus::New)->at(0).email, "marie@example.org");
  // Signed in, but asking about someone else's identifier: nobody is written to.
  ASSERT_TRUE(service.submit(form("agent"), "fr", kClient, marie));
  EXPECT_EQ(messages().size(), 1u);
}

TEST_F(AssistanceServiceTest, ATypedAddressIsWhereToAnswer) {
  ASSERT_TRUE(service.submit(form("nouveau@example.org"), "en", kClient));
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].recipient, "nouveau@example.org");
}

TEST_F(AssistanceServiceTest, Validation) {
  auto f = form();
  f.message = "";
  f.slots = {};
  f.phone = "abc";
  f.target = "";
  auto p = problems_of(service.submit(f, "fr", kClient));
  EXPECT_EQ(p["message"], "required");
  EXPECT_EQ(p["slots"], "part_required");
  EXPECT_EQ(p["phone"], "callback_phone_invalid");
  EXPECT_EQ(p["target"], "required");
  f.phone = "  ";
  EXPECT_EQ(problems_of(service.submit(f, "fr", kClient))["phone"], "callback_phone_required")
      << "the answer is a call: the number is required";
  f = form();
  f.phone = "01 23 45 67 89";
  EXPECT_TRUE(std::holds_alternative<AssistanceReceived>(*service.submit(f, "fr", kClient))) << "a landline will do";

  f = form();
  f.message = std::string(2000, 'a');
  EXPECT_TRUE(std::holds_alternative<AssistanceReceived>(*service.submit(f, "fr", kClient)));
  f.message = std::string(2001, 'a');
  EXPECT_EQ(problems_of(service.submit(f, "fr", kClient))["message"], "message_too_long");
  // Characters, not bytes: 2000 accented letters are fine.
  std::string accented;
  for (int i = 0; i < 2000; ++i) accented += "é";
  f.message = accented;
  EXPECT_TRUE(std::holds_alternative<AssistanceReceived>(*service.submit(f, "fr", kClient)));
  f.message = "\xff\xfe";
  EXPECT_EQ(problems_of(service.submit(f, "fr", kClient))["message"], "invalid_text");

  f = form();
  f.slots = {slot(0), slot(1), slot(2), slot(3)};
  EXPECT_EQ(problems_of(service.submit(f, "fr", kClient))["slots"], "part_too_many");
  f.slots = {"1800000000"};  // now: inside the next hour, never offered
  EXPECT_EQ(problems_of(service.submit(f, "fr", kClient))["slots"], "part_unavailable");
  f.slots = {"abc"};
  EXPECT_EQ(problems_of(service.submit(f, "fr", kClient))["slots"], "part_unavailable");
  // A slot that is not the first of its part of the day is not a choice.
  f.slots = {std::to_string(to_unix(service.offered_slots().at(1)))};
  EXPECT_EQ(problems_of(service.submit(f, "fr", kClient))["slots"], "part_unavailable");
  f = form("not an identifier!");
  EXPECT_EQ(problems_of(service.submit(f, "fr", kClient))["target"], "invalid_target");
}

TEST_F(AssistanceServiceTest, FivePerClientPerHour) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(std::holds_alternative<AssistanceReceived>(*service.submit(form(), "fr", kClient)));
  EXPECT_TRUE(std::holds_alternative<AssistanceThrottled>(*service.submit(form(), "fr", kClient)));
  EXPECT_TRUE(std::holds_alternative<AssistanceReceived>(*service.submit(form(), "fr", ClientInfo{"198.51.100.1", "t"})));
  s.clock.advance(61min);
  EXPECT_TRUE(std::holds_alternative<AssistanceReceived>(*service.submit(form(), "fr", kClient)));
}

TEST_F(AssistanceServiceTest, TakeScheduleCloseMailsTheTimeAndAudits) {
  ASSERT_TRUE(service.submit(form("marie@example.org"), "fr", kClient));
  auto id = service.queue(AssistanceStatus::New)->at(0).id;
  auto at = service.offered_slots().at(3);
  // Scheduling needs the request taken first.
  EXPECT_EQ(service.schedule(id, agent.id, at, kClient).error().code, ErrorCode::FlowStateInvalid);
  ASSERT_TRUE(service.take(id, agent.id, kClient));
  EXPECT_EQ(service.find(id)->status, AssistanceStatus::InProgress) << "taken: in progress";
  EXPECT_EQ(*service.count_new(), 0);
  EXPECT_EQ(service.take(id, marie.id, kClient).error().code, ErrorCode::FlowStateInvalid) << "one agent holds it";
  EXPECT_EQ(service.schedule(id, agent.id, at + 1min, kClient).error().code, ErrorCode::InvalidInput);
  ASSERT_TRUE(service.schedule(id, agent.id, at, kClient));
  auto sent = messages();
  ASSERT_EQ(sent.size(), 2u);
  auto& confirmation = sent[0].kind == "assistance.scheduled" ? sent[0] : sent[1];
  EXPECT_EQ(confirmation.kind, "assistance.scheduled");
  // In Paris time (portal.time_zone), not the TZ=UTC of this test: 10:30 UTC is 11 h 30 in Paris in January.
  EXPECT_NE(confirmation.body_text.find("vendredi 15 janvier"), std::string::npos) << confirmation.body_text;
  EXPECT_NE(confirmation.body_text.find("à 11\u00a0h\u00a030 au numéro"), std::string::npos) << confirmation.body_text;
  EXPECT_EQ(confirmation.body_text.find("Marie"), std::string::npos) << "no name typed by the requester";
  EXPECT_EQ(confirmation.body_text.find("12 34"), std::string::npos) << "no phone typed by the requester";
  EXPECT_NE(confirmation.body_text.find("numéro indiqué"), std::string::npos);
  EXPECT_EQ(confirmation.body_text.find("changé"), std::string::npos) << "a first time, not a new one";
  // Another time: the member is told it changed.
  ASSERT_TRUE(service.schedule(id, agent.id, at + 30min, kClient));
  sent = messages();
  ASSERT_EQ(sent.size(), 3u);
  auto moved = std::find_if(sent.begin(), sent.end(), [](auto& m) {
    return m.kind == "assistance.scheduled" && m.subject.find("Nouvelle heure") != std::string::npos;
  });
  ASSERT_NE(moved, sent.end());
  EXPECT_NE(moved->body_text.find("15 janvier 2027 à 12\u00a0h au numéro"), std::string::npos) << moved->body_text;
  EXPECT_EQ(service.close(id, agent.id, "  ", kClient).error().code, ErrorCode::InvalidInput);
  ASSERT_TRUE(service.close(id, agent.id, "Rappelée, note pour l'équipe", kClient));
  sent = messages();
  ASSERT_EQ(sent.size(), 4u);
  auto closed = std::find_if(sent.begin(), sent.end(), [](auto& m) { return m.kind == "assistance.closed"; });
  ASSERT_NE(closed, sent.end());
  EXPECT_EQ(closed->recipient, "marie@example.org");
  EXPECT_EQ(closed->body_text.find("note pour"), std::string::npos) << "the agent's note stays in the console";
  auto done = *service.find(id);
  EXPECT_EQ(done.status, AssistanceStatus::Done);
  EXPECT_EQ(done.note, "Rappelée, note pour l'équipe");
  EXPECT_EQ(service.close(id, agent.id, "again", kClient).error().code, ErrorCode::FlowStateInvalid);
  auto events = *audit.recent_for_account(marie.id, 20);
  int staff_events = 0;
  for (auto& e : events)
    if (e.event.rfind("assistance.", 0) == 0 && e.event != "assistance.requested") {
      ++staff_events;
      EXPECT_EQ(e.actor, agent.id);
    }
  EXPECT_EQ(staff_events, 4);
}

TEST_F(AssistanceServiceTest, TheReferenceIsOnTheRecapAndTheAcknowledgementWhichRepliesToAssistance) {
  AssistanceSettings settings;
  settings.reply_to = "assistance@example.org";
  AssistanceService with_reply{*s.accounts, store, limiter, composer, audit, s.clock, random, nullptr, settings};
  auto r = with_reply.submit(form("marie@example.org"), "fr", kClient);
  ASSERT_TRUE(r);
  auto reference = std::get<AssistanceReceived>(*r).reference;
  ASSERT_EQ(reference.size(), 6u);
  EXPECT_EQ(reference.substr(0, 2), "A-");
  for (char c : reference.substr(2)) EXPECT_NE(kReferenceAlphabet.find(c), std::string_view::npos) << c;
  EXPECT_EQ(with_reply.queue(AssistanceStatus::New)->at(0).reference, reference);
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].reply_to, "assistance@example.org");
  EXPECT_NE(sent[0].subject.find(reference), std::string::npos);
  EXPECT_NE(sent[0].body_text.find(reference), std::string::npos);
  EXPECT_NE(sent[0].body_text.find("vendredi 15 janvier, le matin"), std::string::npos) << sent[0].body_text;
  // Two requests, two references.
  auto again = with_reply.submit(form("marie@example.org"), "fr", kClient);
  EXPECT_NE(std::get<AssistanceReceived>(*again).reference, reference);
}

TEST_F(AssistanceServiceTest, TheTeamIsToldWithALinkAndNothingTyped) {
  AssistanceSettings settings;
  settings.team_email = "equipe@example.org";
  settings.public_url = "https://portail.example";
  AssistanceService announced{*s.accounts, store, limiter, composer, audit, s.clock, random, nullptr, settings};
  auto f = form("personne");  // no answer address: the team is told all the same
  f.name = "Cliquez ici http://evil.example";
  f.message = "Votre compte sera fermé, appelez le 08 99 00 00 00\r\nBcc: victim@example.org";
  ASSERT_TRUE(announced.submit(f, "fr", kClient));
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind, "assistance.team_notice");
  EXPECT_EQ(sent[0].recipient, "equipe@example.org");
  EXPECT_FALSE(sent[0].account) << "not a message of the member's account";
  auto id = announced.queue(AssistanceStatus::New)->at(0).id;
  EXPECT_NE(sent[0].body_text.find("https://portail.example/support/demandes/demande?id=" + std::to_string(id)),
            std::string::npos) << sent[0].body_text;
  for (const auto* part : {&sent[0].subject, &sent[0].body_text, &sent[0].body_html}) {
    EXPECT_EQ(part->find("evil"), std::string::npos) << "the name is not echoed";
    EXPECT_EQ(part->find("08 99"), std::string::npos) << "the message is not echoed";
    EXPECT_EQ(part->find("victim"), std::string::npos);
    EXPECT_EQ(part->find("12 34 56"), std::string::npos) << "nor the phone";
  }
  EXPECT_EQ(*announced.count_new(), 1);
}

}  // namespace
}  // namespace portier
