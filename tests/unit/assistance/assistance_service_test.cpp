#include "assistance/assistance_service.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "storage/sqlite/sqlite_assistance_store.h"
#include "storage/sqlite/sqlite_rate_limit_store.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;
namespace sq = storage::sqlite;

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
  sq::SqliteAssistanceStore store{s.db};
  sq::SqliteRateLimitStore limits{s.db};
  RateLimiter limiter{limits, s.clock};
  MessageComposer composer{std::string(PORTIER_SOURCE_DIR) + "/templates/mail", "portier", "https://portail.example"};
  AssistanceService service{*s.accounts, store, limiter, composer, audit, s.clock, nullptr, AssistanceSettings{}};
  Account marie, agent;

  std::string slot(std::size_t i) { return std::to_string(to_unix(service.offered_slots().at(i))); }
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
  EXPECT_EQ(p["slots"], "slot_required");
  EXPECT_EQ(p["phone"], "invalid_phone");
  EXPECT_EQ(p["target"], "required");

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
  EXPECT_EQ(problems_of(service.submit(f, "fr", kClient))["slots"], "slot_too_many");
  f.slots = {"1800000000"};  // now: inside the next hour, never offered
  EXPECT_EQ(problems_of(service.submit(f, "fr", kClient))["slots"], "slot_unavailable");
  f.slots = {"abc"};
  EXPECT_EQ(problems_of(service.submit(f, "fr", kClient))["slots"], "slot_unavailable");
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
  EXPECT_EQ(service.close(id, agent.id, "  ", kClient).error().code, ErrorCode::InvalidInput);
  ASSERT_TRUE(service.close(id, agent.id, "Rappelée", kClient));
  auto done = *service.find(id);
  EXPECT_EQ(done.status, AssistanceStatus::Done);
  EXPECT_EQ(done.note, "Rappelée");
  EXPECT_EQ(service.close(id, agent.id, "again", kClient).error().code, ErrorCode::FlowStateInvalid);
  auto events = *audit.recent_for_account(marie.id, 20);
  int staff_events = 0;
  for (auto& e : events)
    if (e.event.rfind("assistance.", 0) == 0 && e.event != "assistance.requested") {
      ++staff_events;
      EXPECT_EQ(e.actor, agent.id);
    }
  EXPECT_EQ(staff_events, 3);
}

}  // namespace
}  // namespace portier
