#include "flow/identifier_reminder/identifier_reminder_service.h"

#include <gtest/gtest.h>

#include "support/service_parts.h"

namespace portier {
namespace {

using namespace std::chrono_literals;
namespace sq = storage;

const ClientInfo kClient{"203.0.113.7", "test"};

class IdentifierReminderTest : public ::testing::Test, protected testing_support::ServiceParts {
protected:
  IdentifierReminderService reminder{*s.accounts, outbox, limiter, composer, audit, secrets, s.clock, nullptr,
                                     IdentifierReminderSettings{}};

  Account add(const std::string& id, const std::string& email) { return add_member(id, email); }
};

TEST_F(IdentifierReminderTest, EveryIdentifierOfTheAddressGoesInOneMessage) {
  add("marie", "cabinet@example.org");
  add("pierre", "cabinet@example.org");
  add("other", "other@example.org");
  auto r = reminder.request(" Cabinet@Example.org ", "fr", kClient);
  ASSERT_TRUE(r);
  EXPECT_TRUE(std::holds_alternative<ReminderSent>(*r));
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].recipient, "cabinet@example.org");
  EXPECT_EQ(sent[0].kind, "recovery.identifier");
  EXPECT_NE(sent[0].body_text.find("marie"), std::string::npos);
  EXPECT_NE(sent[0].body_text.find("pierre"), std::string::npos);
  EXPECT_EQ(sent[0].body_text.find("other"), std::string::npos);
}

TEST_F(IdentifierReminderTest, AnUnknownAddressGetsTheNoAccountMessageAndTheSameAnswer) {
  auto r = reminder.request("personne@example.org", "en", kClient);
  ASSERT_TRUE(r);
  EXPECT_TRUE(std::holds_alternative<ReminderSent>(*r));
  auto sent = messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind, "recovery.identifier_unknown");
  EXPECT_EQ(sent[0].lang, "en");
}

TEST_F(IdentifierReminderTest, DisabledAccountsAreLeftOut) {
  auto a = add("marie", "cabinet@example.org");
  ASSERT_TRUE(s.accounts->set_status(a.id, AccountStatus::Disabled));
  ASSERT_TRUE(reminder.request("cabinet@example.org", "fr", kClient));
  EXPECT_EQ(messages()[0].kind, "recovery.identifier_unknown");
}

TEST_F(IdentifierReminderTest, NotAnAddressIsInvalidInput) {
  auto r = reminder.request("pas une adresse", "fr", kClient);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
  EXPECT_TRUE(messages().empty());
}

TEST_F(IdentifierReminderTest, AnAddressGetsAtMostFiveMessagesAnHour) {
  add("marie", "cabinet@example.org");
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(reminder.request("cabinet@example.org", "fr", ClientInfo{"ip" + std::to_string(i), ""}));
  EXPECT_EQ(messages().size(), 5u);
  s.clock.advance(1h);
  ASSERT_TRUE(reminder.request("cabinet@example.org", "fr", kClient));
  EXPECT_EQ(messages().size(), 6u);
}

TEST_F(IdentifierReminderTest, OneClientIsThrottledAcrossAddresses) {
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(reminder.request("a" + std::to_string(i) + "@example.org", "fr", kClient));
  auto r = reminder.request("late@example.org", "fr", kClient);
  ASSERT_TRUE(r);
  EXPECT_TRUE(std::holds_alternative<ReminderThrottled>(*r));
}

}  // namespace
}  // namespace portier
