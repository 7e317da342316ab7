// The card sign-in's decisions, over real stores (in-memory SQLite): every
// refusal is audited and signs no one in; a linked card signs in with the
// card alone ("card", hence amr hwk+pin); an unknown card of a known holder
// is linked after a sign-in made for it, to the holder's account only; the
// hand-over ticket is single use and short-lived; unlinking is per owner.
#include "flow/card/card_sign_in_service.h"

#include <gtest/gtest.h>

#include "storage/stores/sql_linked_card_store.h"
#include "support/service_parts.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

constexpr const char* kRpps = "10002813839";

class CardSignInServiceTest : public ::testing::Test, protected testing_support::ServiceParts {
protected:
  storage::SqlLinkedCardStore cards{s.db};
  struct Told {
    std::string identifier;
    bool linked;
    bool by_staff;
  };
  std::vector<Told> told;
  CardSignInService service{*s.accounts, cards, *s.flows, sessions, audit, secrets, random, s.clock,
                            [this](const Account& a, const LinkedCard&, bool linked, bool by_staff) {
                              told.push_back({a.identifier, linked, by_staff});
                            },
                            CardSignInSettings{}};

  Account holder() {
    auto a = admin.add(NewAccount{"jdupont", "jdupont@example.org", "Dr Jean Dupont", "", kRpps, Role::Member,
                                  testing_support::kTestPassword},
                       std::nullopt, {});
    EXPECT_TRUE(a) << (a ? "" : a.error().detail);
    return *a;
  }
  static PresentedCard card(CardCheck check = CardCheck::Valid, std::optional<std::string> rpps = kRpps,
                            char fill = 'a') {
    PresentedCard c;
    c.check = check;
    c.sha256 = std::string(64, fill);
    c.subject = "CN=810002813839+SN=DUPONT+GN=JEAN,title=Médecin,C=FR";
    c.issuer = "CN=TEST AC IGC-SANTE FORT PERSONNES,C=FR";
    c.serial = "0A1B";
    c.not_after = from_unix(1'900'000'000);
    c.rpps = std::move(rpps);
    c.holder = "Jean DUPONT";
    return c;
  }
  // The card events of the audit log, "event detail", oldest first.
  std::vector<std::string> events() {
    auto lease = s.db->acquire();
    auto rows = storage::sql::read_rows(
        lease.query("SELECT event, detail FROM audit_events WHERE event LIKE 'card.%' ORDER BY id"),
        [](const storage::sql::Statement& r) { return r.text(0) + " " + r.text(1); });
    return rows ? *rows : std::vector<std::string>{};
  }
  // Links `c` to `a` as the pages do: link ticket, sign-in, confirmation.
  void link(const PresentedCard& c, const Account& a) {
    auto handed = service.present(c, true, {});
    ASSERT_TRUE(handed);
    auto ticket = std::get<CardHandOver>(*handed).ticket;
    auto pending = service.redeem(ticket, {});
    ASSERT_TRUE(pending);
    auto token = std::get<CardLinkPending>(*pending).link_token;
    auto session = sessions.start(a.id, {}, "pwd");
    ASSERT_TRUE(session);
    auto done = service.confirm_link(token, session->session, {});
    ASSERT_TRUE(done) << done.error().detail;
    ASSERT_TRUE(std::holds_alternative<LinkedCard>(*done));
  }
};

TEST_F(CardSignInServiceTest, EveryBadCertificateIsRefusedAndAudited) {
  holder();
  for (auto check : {CardCheck::NoCard, CardCheck::Expired, CardCheck::NotYetValid, CardCheck::Revoked,
                     CardCheck::RevocationUnknown, CardCheck::UnknownIssuer, CardCheck::WrongUsage,
                     CardCheck::Unreadable}) {
    auto out = service.present(card(check), true, {});
    ASSERT_TRUE(out);
    ASSERT_TRUE(std::holds_alternative<CardRefused>(*out)) << static_cast<int>(check);
  }
  EXPECT_EQ(std::get<CardRefused>(*service.present(card(CardCheck::Revoked), false, {})).reason, CardRefusal::Revoked);
  auto all = events();
  ASSERT_EQ(all.size(), 9u);
  EXPECT_EQ(all[0].rfind("card.refused no_card", 0), 0u) << all[0];
  EXPECT_EQ(all[5].rfind("card.refused unknown_issuer sha256=aaaa", 0), 0u) << all[5];
}

TEST_F(CardSignInServiceTest, AValidCardWithoutAnAccountIsUnmapped) {
  holder();
  auto other = service.present(card(CardCheck::Valid, "99999999999"), true, {});
  ASSERT_TRUE(other);
  EXPECT_EQ(std::get<CardRefused>(*other).reason, CardRefusal::Unmapped);
  auto establishment = service.present(card(CardCheck::Valid, std::nullopt), true, {});
  EXPECT_EQ(std::get<CardRefused>(*establishment).reason, CardRefusal::Unmapped);
}

TEST_F(CardSignInServiceTest, FirstUseLinksAfterASignInAndThenTheCardAloneSignsIn) {
  auto a = holder();
  auto first = service.present(card(), false, {});
  ASSERT_TRUE(first);
  ASSERT_TRUE(std::holds_alternative<CardFirstUse>(*first));
  link(card(), a);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_TRUE(told[0].linked);
  auto handed = service.present(card(), false, {});
  ASSERT_TRUE(handed);
  auto ticket = std::get<CardHandOver>(*handed).ticket;
  auto signed_in = service.redeem(ticket, {});
  ASSERT_TRUE(signed_in);
  auto* done = std::get_if<SignedIn>(&*signed_in);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->account.id, a.id);
  EXPECT_EQ(done->session.session.auth_methods, "card");
  EXPECT_TRUE(cards.find(std::string(64, 'a'))->last_used_at);
  // The ticket is spent.
  auto again = service.redeem(ticket, {});
  ASSERT_TRUE(again);
  EXPECT_EQ(std::get<CardRefused>(*again).reason, CardRefusal::TicketInvalid);
}

TEST_F(CardSignInServiceTest, TheTicketLastsAMinute) {
  auto a = holder();
  link(card(), a);
  auto ticket = std::get<CardHandOver>(*service.present(card(), false, {})).ticket;
  s.clock.advance(61s);
  EXPECT_EQ(std::get<CardRefused>(*service.redeem(ticket, {})).reason, CardRefusal::TicketInvalid);
  EXPECT_EQ(std::get<CardRefused>(*service.redeem("forged", {})).reason, CardRefusal::TicketInvalid);
}

TEST_F(CardSignInServiceTest, TheCardLinksOnlyToItsHoldersAccount) {
  holder();
  auto intruder = add_member("mcurie");
  auto ticket = std::get<CardHandOver>(*service.present(card(), true, {})).ticket;
  auto token = std::get<CardLinkPending>(*service.redeem(ticket, {})).link_token;
  EXPECT_EQ(service.pending_link(token)->holder, "Jean DUPONT");
  auto session = sessions.start(intruder.id, {}, "pwd");
  auto refused = service.confirm_link(token, session->session, {});
  ASSERT_TRUE(refused);
  EXPECT_EQ(std::get<CardRefused>(*refused).reason, CardRefusal::WrongAccount);
  EXPECT_EQ(cards.find(std::string(64, 'a')).error().code, ErrorCode::NotFound);
  EXPECT_TRUE(told.empty());
}

TEST_F(CardSignInServiceTest, ASessionOpenedBeforeTheCardDoesNotLinkIt) {
  auto a = holder();
  auto old = sessions.start(a.id, {}, "pwd");
  s.clock.advance(10s);
  auto ticket = std::get<CardHandOver>(*service.present(card(), true, {})).ticket;
  auto token = std::get<CardLinkPending>(*service.redeem(ticket, {})).link_token;
  auto refused = service.confirm_link(token, old->session, {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::FlowStateInvalid);
}

TEST_F(CardSignInServiceTest, ADisabledAccountIsRefusedEvenWithItsLinkedCard) {
  auto a = holder();
  link(card(), a);
  auto ticket = std::get<CardHandOver>(*service.present(card(), false, {})).ticket;
  ASSERT_TRUE(s.accounts->set_status(a.id, AccountStatus::Disabled));
  // Disabled between the card listener and the hand-over: refused there too.
  EXPECT_EQ(std::get<CardRefused>(*service.redeem(ticket, {})).reason, CardRefusal::AccountDisabled);
  EXPECT_EQ(std::get<CardRefused>(*service.present(card(), false, {})).reason, CardRefusal::AccountDisabled);
}

TEST_F(CardSignInServiceTest, AnRppsCorrectedSinceTheLinkNoLongerSignsIn) {
  auto a = holder();
  link(card(), a);
  a.rpps = "10000000000";
  ASSERT_TRUE(s.accounts->update_profile(a));
  EXPECT_EQ(std::get<CardRefused>(*service.present(card(), false, {})).reason, CardRefusal::Unmapped);
}

TEST_F(CardSignInServiceTest, UnlinkIsForTheOwnerAndTellsTheMember) {
  auto a = holder();
  auto other = add_member("mcurie");
  link(card(), a);
  EXPECT_FALSE(*service.unlink(other.id, std::string(64, 'a'), other.id, {}));
  EXPECT_TRUE(*service.unlink(a.id, std::string(64, 'a'), other.id, {}, "carte volée"));
  auto e = audit.recent_for_account(a.id, 1)->front();
  EXPECT_EQ(e.event, "card.unlinked");
  EXPECT_EQ(e.actor, other.id);
  EXPECT_EQ(e.detail, "sha256=aaaaaaaaaaaaaaaa; reason: carte volée");
  ASSERT_EQ(told.size(), 2u);
  EXPECT_FALSE(told[1].linked);
  EXPECT_TRUE(told[1].by_staff);
  EXPECT_TRUE(service.cards_of(a.id)->empty());
  // Unlinked: the card is a first use again.
  EXPECT_TRUE(std::holds_alternative<CardFirstUse>(*service.present(card(), false, {})));
}

TEST_F(CardSignInServiceTest, LinkedOnlyLinksAnyValidCardToWhoeverSignsIn) {
  CardSignInService loose{*s.accounts, cards, *s.flows, sessions, audit, secrets, random, s.clock, {},
                          CardSignInSettings{"linked_only"}};
  auto a = add_member("mcurie");  // no RPPS
  auto ticket = std::get<CardHandOver>(*loose.present(card(CardCheck::Valid, std::nullopt), true, {})).ticket;
  auto token = std::get<CardLinkPending>(*loose.redeem(ticket, {})).link_token;
  auto session = sessions.start(a.id, {}, "pwd");
  auto done = loose.confirm_link(token, session->session, {});
  ASSERT_TRUE(done);
  ASSERT_TRUE(std::holds_alternative<LinkedCard>(*done));
  auto again = std::get<CardHandOver>(*loose.present(card(CardCheck::Valid, std::nullopt), false, {})).ticket;
  EXPECT_EQ(std::get<SignedIn>(*loose.redeem(again, {})).account.id, a.id);
}

}  // namespace
}  // namespace portier
