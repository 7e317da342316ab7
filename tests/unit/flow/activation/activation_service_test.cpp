#include "flow/activation/activation_service.h"

#include <gtest/gtest.h>

#include <regex>

#include "storage/stores/sql_activation_store.h"
#include "storage/stores/sql_recovery_store.h"
#include "support/service_parts.h"

namespace portier {
namespace {

using namespace std::chrono_literals;
namespace sq = storage;

const char* kPassword = testing_support::kTestPassword;
const ClientInfo kClient{"203.0.113.7", "test"};

class ActivationServiceTest : public ::testing::Test, protected testing_support::ServiceParts {
protected:
  sq::SqlRecoveryStore tokens{s.db};
  sq::SqlActivationStore store{s.db};
  int wakes = 0;
  ActivationService activation{*s.accounts, tokens, store, limiter, composer, hasher, policy, audit, secrets, random,
                               s.clock, [this] { ++wakes; }, settings(), s.flows.get()};

  static ActivationSettings settings() {
    ActivationSettings st;
    st.public_url = "https://portail.example";
    return st;
  }

  Account pending(const std::string& id, const std::string& email = "") {
    auto a = admin.add(NewAccount{id, email.empty() ? id + "@example.org" : email, "Dr Test", "", "", Role::Member, std::nullopt},
                       std::nullopt, {});
    EXPECT_TRUE(a) << (a ? "" : a.error().detail);
    return *a;
  }
  std::vector<OutboundMessage> invitations_to(const std::string& email) {
    std::vector<OutboundMessage> out;
    auto all = outbox.list(100, 0);  // kept alive: the loop must not walk a destroyed temporary
    for (auto& m : *all)
      if (m.recipient == email && m.kind == "account.invitation") out.push_back(m);
    return out;
  }
  // The link token and the code of the newest invitation to `email`.
  std::pair<std::string, std::string> secrets_of(const std::string& email) {
    auto all = invitations_to(email);
    if (all.empty()) return {};
    auto& m = all.front();  // newest first
    std::smatch link, code;
    std::regex_search(m.body_text, link, std::regex("jeton=([A-Za-z0-9_-]+)"));
    std::regex_search(m.body_text, code, std::regex("([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})"));
    return {link[1], code[1]};
  }
  Account reload(const Account& a) { return *s.accounts->find_by_id(a.id); }
  int audited(const char* event) {
    auto lease = s.db->acquire();
    auto stmt = lease.query("SELECT count(*) FROM audit_events WHERE event = ?", std::string_view(event));
    if (!stmt || !stmt->step()) return -1;
    return static_cast<int>(stmt->int64(0));
  }
};

TEST_F(ActivationServiceTest, AnInvitationActivatesAPendingAccount) {
  auto a = pending("marie");
  auto invited = activation.invite(a, "fr", std::nullopt, kClient);
  ASSERT_TRUE(invited) << invited.error().detail;
  EXPECT_EQ(invited->expires_at, s.clock.now() + 7 * 24h);
  EXPECT_EQ(wakes, 1);
  auto sent = invitations_to("marie@example.org");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].body_text.find("marie"), std::string::npos) << "the identifier is in the message";
  EXPECT_NE(sent[0].body_html.find("https://portail.example/premiere-connexion/activer?jeton="), std::string::npos);
  auto [link, code] = secrets_of("marie@example.org");
  ASSERT_GE(link.size(), 43u);
  ASSERT_EQ(code.size(), 19u);

  auto target = activation.check(ActivationSecret::Link, link);
  ASSERT_TRUE(target);
  EXPECT_EQ(target->identifier, "marie");
  EXPECT_EQ(reload(a).status, AccountStatus::Pending) << "opening the link changes nothing";

  auto done = activation.activate(ActivationSecret::Link, link, kPassword, kPassword, kClient);
  ASSERT_TRUE(done) << done.error().detail;
  ASSERT_TRUE(std::holds_alternative<Activated>(*done));
  auto after = reload(a);
  EXPECT_EQ(after.status, AccountStatus::Active);
  EXPECT_TRUE(hasher.verify(after.password_hash, kPassword));
  EXPECT_FALSE(after.password_is_temporary);
  // Single use, and the code of the same invitation is revoked with it.
  EXPECT_EQ(activation.activate(ActivationSecret::Link, link, kPassword, kPassword, kClient).error().code, ErrorCode::NotFound);
  EXPECT_EQ(activation.check(ActivationSecret::Code, code).error().code, ErrorCode::NotFound);
  auto events = *s.audit->recent_for_account(a.id, 20);
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](auto& e) { return e.event == "account.activated"; }));
}

TEST_F(ActivationServiceTest, TheCodeWorksLikeTheLinkAndIsCountedPerClient) {
  auto a = pending("paul");
  ASSERT_TRUE(activation.invite(a, "en", std::nullopt, kClient));
  auto [link, code] = secrets_of("paul@example.org");
  std::string typed = code;
  std::transform(typed.begin(), typed.end(), typed.begin(), ::tolower);
  std::string entry;
  auto outcome = activation.submit_code(entry, " " + typed + " ", kClient);
  ASSERT_TRUE(outcome);
  ASSERT_TRUE(std::holds_alternative<ActivationTarget>(*outcome));
  EXPECT_FALSE(entry.empty()) << "a code entry was opened for the browser";
  auto wrong = activation.submit_code(entry, "AAAA-BBBB-CCCC-DDDD", kClient);
  ASSERT_TRUE(wrong);
  EXPECT_TRUE(std::holds_alternative<ActivationCodeRejected>(*wrong));
  for (int i = 0; i < 20; ++i) {
    std::string fresh;  // a new entry each time: only the address limit is left
    (void)activation.submit_code(fresh, "AAAA-BBBB-CCCC-DDDD", kClient);
  }
  std::string fresh;
  auto limited = activation.submit_code(fresh, code, kClient);
  ASSERT_TRUE(limited);
  EXPECT_TRUE(std::holds_alternative<ActivationThrottled>(*limited));
  auto by_form = activation.activate(ActivationSecret::Code, code, kPassword, kPassword, kClient);
  ASSERT_TRUE(by_form && std::holds_alternative<ActivationThrottled>(*by_form))
      << "the password form counts codes against the address too";
  auto done = activation.activate(ActivationSecret::Code, code, kPassword, kPassword, ClientInfo{"198.51.100.2", "t"});
  ASSERT_TRUE(done && std::holds_alternative<Activated>(*done));
}

TEST_F(ActivationServiceTest, WrongCodesExhaustTheBrowsersRequestWhateverTheAddress) {
  auto a = pending("lucie");
  ASSERT_TRUE(activation.invite(a, "fr", std::nullopt, kClient));
  auto [link, code] = secrets_of("lucie@example.org");
  std::string entry;
  for (int i = 0; i < 5; ++i) {
    ClientInfo from{"203.0.113." + std::to_string(10 + i), "t"};
    auto r = activation.submit_code(entry, "AAAA-BBBB-CCCC-DDDD", from);
    ASSERT_TRUE(r && std::holds_alternative<ActivationCodeRejected>(*r));
    EXPECT_EQ(std::get<ActivationCodeRejected>(*r).attempts_left, 4 - i);
  }
  auto late = activation.submit_code(entry, code, ClientInfo{"198.51.100.9", "t"});
  ASSERT_TRUE(late);
  ASSERT_TRUE(std::holds_alternative<ActivationCodeRejected>(*late)) << "even the right code, once exhausted";
  EXPECT_EQ(std::get<ActivationCodeRejected>(*late).attempts_left, 0);
  EXPECT_EQ(audited("activation.code_rejected"), 6) << "every wrong code, and the refused right one";
  s.clock.advance(16min);
  auto later = activation.submit_code(entry, code, ClientInfo{"198.51.100.9", "t"});
  EXPECT_TRUE(later && std::holds_alternative<ActivationTarget>(*later)) << "a new entry once the locked one is over";
}

TEST_F(ActivationServiceTest, TheInvitationExpiresAfterSevenDays) {
  auto a = pending("lea");
  ASSERT_TRUE(activation.invite(a, "fr", std::nullopt, kClient));
  auto [link, code] = secrets_of("lea@example.org");
  s.clock.advance(7 * 24h - 1s);
  EXPECT_TRUE(activation.check(ActivationSecret::Link, link));
  s.clock.advance(1s);
  EXPECT_EQ(activation.check(ActivationSecret::Link, link).error().code, ErrorCode::Expired);
  EXPECT_EQ(activation.activate(ActivationSecret::Link, link, kPassword, kPassword, kClient).error().code, ErrorCode::Expired);
  EXPECT_EQ(reload(a).status, AccountStatus::Pending);
}

TEST_F(ActivationServiceTest, ANewInvitationRevokesTheOlderOne) {
  auto a = pending("yves");
  ASSERT_TRUE(activation.invite(a, "fr", std::nullopt, kClient));
  auto [old_link, old_code] = secrets_of("yves@example.org");
  s.clock.advance(1min);
  ASSERT_TRUE(activation.invite(a, "fr", std::nullopt, kClient));
  auto [link, code] = secrets_of("yves@example.org");
  EXPECT_NE(link, old_link);
  EXPECT_EQ(activation.check(ActivationSecret::Link, old_link).error().code, ErrorCode::NotFound);
  EXPECT_EQ(activation.check(ActivationSecret::Code, old_code).error().code, ErrorCode::NotFound);
  EXPECT_TRUE(activation.check(ActivationSecret::Link, link));
}

TEST_F(ActivationServiceTest, PasswordPolicyAppliesWithTheAccountsWords) {
  auto a = pending("jeanne.dupont");
  ASSERT_TRUE(activation.invite(a, "fr", std::nullopt, kClient));
  auto [link, code] = secrets_of("jeanne.dupont@example.org");
  auto r = activation.activate(ActivationSecret::Link, link, "court", "court", kClient);
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<ActivationPasswordRejected>(*r).problem, "too_short");
  r = activation.activate(ActivationSecret::Link, link, "jeanne.dupont-2026!", "jeanne.dupont-2026!", kClient);
  ASSERT_TRUE(r);
  // Named after the kind of word (flow/password_choice.h): the identifier,
  // whose words are not named again as her email address or name.
  EXPECT_EQ(std::get<ActivationPasswordRejected>(*r).problem, "contains_identifier");
  r = activation.activate(ActivationSecret::Link, link, kPassword, "autre chose encore", kClient);
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<ActivationPasswordRejected>(*r).problem, "mismatch");
  EXPECT_EQ(reload(a).status, AccountStatus::Pending);
  EXPECT_TRUE(activation.check(ActivationSecret::Link, link)) << "a refused password spends nothing";
}

TEST_F(ActivationServiceTest, OnlyPendingAccountsAreInvitedOrActivated) {
  auto active = admin.add(NewAccount{"actif", "actif@example.org", "", "", "", Role::Member, std::string(kPassword)},
                          std::nullopt, {});
  ASSERT_TRUE(active);
  EXPECT_EQ(activation.invite(*active, "fr", std::nullopt, kClient).error().code, ErrorCode::FlowStateInvalid);
  // Disabled after the invitation went: the link no longer works.
  auto a = pending("parti");
  ASSERT_TRUE(activation.invite(a, "fr", std::nullopt, kClient));
  auto [link, code] = secrets_of("parti@example.org");
  ASSERT_TRUE(admin.set_status("parti", AccountStatus::Disabled, std::nullopt, {}));
  EXPECT_EQ(activation.check(ActivationSecret::Link, link).error().code, ErrorCode::NotFound);
  EXPECT_EQ(activation.activate(ActivationSecret::Link, link, kPassword, kPassword, kClient).error().code, ErrorCode::NotFound);
  EXPECT_EQ(reload(a).status, AccountStatus::Disabled);
}

TEST_F(ActivationServiceTest, RequestAgainAnswersTheSameAndOnlyPendingAccountsGetMail) {
  pending("claire", "claire@example.org");
  ASSERT_TRUE(admin.add(NewAccount{"actif", "actif@example.org", "", "", "", Role::Member, std::string(kPassword)},
                        std::nullopt, {}));
  for (auto target : {"claire", "CLAIRE@example.org", "actif", "personne", "personne@example.org"}) {
    auto r = activation.request_again(target, "fr", kClient);
    ASSERT_TRUE(r) << target;
    EXPECT_TRUE(std::holds_alternative<InvitationRequested>(*r)) << target;
  }
  EXPECT_EQ(invitations_to("claire@example.org").size(), 2u);
  EXPECT_TRUE(invitations_to("actif@example.org").empty());
  EXPECT_EQ(outbox.list(100, 0)->size(), 2u) << "nothing to unknown targets";
}

TEST_F(ActivationServiceTest, RequestAgainIsLimitedPerTargetSilentlyAndPerClientVisibly) {
  pending("marc");
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(activation.request_again("marc", "fr", ClientInfo{"198.51.100." + std::to_string(i), ""}));
  EXPECT_EQ(invitations_to("marc@example.org").size(), 3u) << "per-target limit: 3 an hour, same answer beyond";
  for (int i = 0; i < 20; ++i) (void)activation.request_again("x" + std::to_string(i), "fr", kClient);
  auto r = activation.request_again("marc", "fr", kClient);
  ASSERT_TRUE(r);
  EXPECT_TRUE(std::holds_alternative<ActivationThrottled>(*r));
}

}  // namespace
}  // namespace portier
