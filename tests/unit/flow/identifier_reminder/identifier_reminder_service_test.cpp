#include "flow/identifier_reminder/identifier_reminder_service.h"

#include <gtest/gtest.h>

#include "admin/account_admin_service.h"
#include "storage/sqlite/sqlite_outbox_store.h"
#include "storage/sqlite/sqlite_rate_limit_store.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

using namespace std::chrono_literals;
namespace sq = storage::sqlite;

const ClientInfo kClient{"203.0.113.7", "test"};

class IdentifierReminderTest : public ::testing::Test {
protected:
  testing_support::SqliteStores s;
  SecretHasher secrets{std::string(32, 'k')};
  SodiumRandom random;
  AuditLog audit{*s.audit, s.clock};
  PasswordHasher hasher{Argon2Params{1024, 1, 1}};
  PasswordPolicy policy{PasswordPolicyConfig{}, std::make_shared<PasswordBlocklist>(PasswordBlocklist::from_words({}))};
  SessionService sessions{*s.sessions, secrets, random, s.clock, SessionPolicy{}};
  AccountAdminService admin{*s.accounts, sessions, hasher, policy, audit, random, s.clock, AdminSettings{"portier"}};
  sq::SqliteOutboxStore outbox{s.db};
  sq::SqliteRateLimitStore limits{s.db};
  RateLimiter limiter{limits, s.clock};
  MessageComposer composer{std::string(PORTIER_SOURCE_DIR) + "/templates/mail", "portier", "https://portail.example"};
  IdentifierReminderService reminder{*s.accounts, outbox, limiter, composer, audit, secrets, s.clock, nullptr,
                                     IdentifierReminderSettings{}};

  Account add(const std::string& id, const std::string& email) {
    auto a = admin.add(NewAccount{id, email, "Dr " + id, "", "", Role::Member, "une longue phrase de passe"},
                       std::nullopt, {});
    EXPECT_TRUE(a);
    return *a;
  }
  std::vector<OutboundMessage> messages() { return *outbox.list(100, 0); }
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
