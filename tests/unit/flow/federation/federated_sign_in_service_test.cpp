// The federated sign-in's decisions, over real stores (in-memory SQLite)
// and a canned provider: an answer is judged once (the flow is spent before
// the relying party looks at it); every refusal is audited with the
// provider and its reason word and signs no one in; a linked PSC identity
// signs in alone ("psc": two factors); an unknown one is linked after a
// sign-in made for it, only to the account with its RPPS; an unknown RPPS is
// refused as unknown_person; unlinking is per owner and told.
#include "flow/federation/federated_sign_in_service.h"

#include <gtest/gtest.h>

#include <boost/url/parse.hpp>

#include "oidc/authentication_context.h"
#include "storage/stores/sql_federated_account_store.h"
#include "storage/stores/sql_federated_identity_store.h"
#include "storage/stores/sql_linked_card_store.h"
#include "support/service_parts.h"
#include "unit/federation/fake_provider.h"

namespace portier {
namespace {

using namespace std::chrono_literals;
using testing_support::kDiscovery;
using testing_support::kIssuer;

constexpr const char* kRpps = "10002813839";
constexpr const char* kRedirect = "https://portier.example.org/federation/psc/retour";

FederationProviderConfig psc_config() {
  FederationProviderConfig p;
  p.id = "psc";
  p.preset = "psc";
  p.discovery_url = kDiscovery;
  p.issuer = kIssuer;
  p.client_id = "reseau";
  p.client_secret = "s3cret";
  p.scopes = "openid scope_all";
  p.acr_values = "eidas1";
  p.subject_claim = "SubjectNameID";
  p.label = "Pro Santé Connect";
  return p;
}

class FederatedSignInServiceTest : public ::testing::Test, protected testing_support::ServiceParts {
protected:
  storage::SqlFederatedIdentityStore identities{s.db};
  storage::SqlLinkedCardStore cards{s.db};
  testing_support::FakeProvider op{s.clock};
  federation::RelyingParty rp{psc_config(), op, s.clock, random};
  struct Told {
    std::string identifier;
    std::string label;
    bool linked;
    bool by_staff;
  };
  std::vector<Told> told;
  FederatedSignInService service{
      *s.accounts, identities, cards, *s.flows, sessions, audit, secrets, random, s.clock,
      [this](const Account& a, const FederatedLink&, const std::string& label, bool linked, bool by_staff) {
        told.push_back({a.identifier, label, linked, by_staff});
      },
      {FederationProvider{{"psc", "psc", "Pro Santé Connect", true}, &rp},
       FederationProvider{{"chu", "oidc", "CHU", true}, nullptr}}};

  Account holder(const std::string& id = "jdupont", const std::string& rpps = kRpps) {
    auto a = admin.add(NewAccount{id, id + "@example.org", "Dr Jean Dupont", "", rpps, Role::Member,
                                  testing_support::kTestPassword},
                       std::nullopt, {});
    EXPECT_TRUE(a) << (a ? "" : a.error().detail);
    return *a;
  }
  // The events of the audit log whose name starts with `prefix`, "event detail".
  std::vector<std::string> events(const std::string& prefix = "federation.") {
    auto lease = s.db->acquire();
    auto rows = storage::sql::read_rows(
        lease.query("SELECT event, detail FROM audit_events WHERE event LIKE ? ORDER BY id", prefix + "%"),
        [](const storage::sql::Statement& r) { return r.text(0) + " " + r.text(1); });
    return rows ? *rows : std::vector<std::string>{};
  }
  // start(): the flow token and the answer a faithful provider sends back.
  std::pair<std::string, std::map<std::string, std::string>> go() {
    auto started = service.start("psc", kRedirect, {});
    EXPECT_TRUE(started);
    auto& s = std::get<FederationStarted>(*started);
    std::map<std::string, std::string> q;
    for (auto param : boost::urls::parse_uri(s.url)->params()) q.emplace(param.key, param.value);
    op.nonce = q["nonce"];
    return {s.flow_token, {{"state", q["state"]}, {"code", "c0de"}}};
  }
  federation::FederatedIdentity identity(const std::string& person_id = "8" + std::string(kRpps)) {
    federation::FederatedIdentity id;
    id.provider = "psc";
    id.issuer = kIssuer;
    id.subject = "f:abc:" + person_id;
    id.person_id = person_id;
    id.given_name = "Jean";
    id.family_name = "Dupont";
    id.acr = "eidas1";
    id.id_token = "e.y.j";
    return id;
  }
  void link_directly(const Account& a, const std::string& subject) {
    FederatedLink l{"psc", kIssuer, subject, a.id, "8" + std::string(kRpps), "Jean Dupont", s.clock.now(), {}};
    ASSERT_TRUE(identities.link(l));
  }
  static std::string refusal(const Result<FederationOutcome>& r) {
    if (!r) return "error: " + r.error().detail;
    auto* x = std::get_if<FederationRefused>(&*r);
    return x ? x->reason : "not refused";
  }
};

TEST_F(FederatedSignInServiceTest, ALinkedPscIdentitySignsInAloneWithTwoFactors) {
  auto a = holder();
  link_directly(a, "f:abc:899700218896");  // the canned provider's sub
  auto [token, answer] = go();
  auto done = service.finish("psc", token, answer, {});
  ASSERT_TRUE(done) << done.error().detail;
  auto* in = std::get_if<SignedIn>(&*done);
  ASSERT_NE(in, nullptr) << refusal(done);
  EXPECT_EQ(in->account.id, a.id);
  EXPECT_EQ(in->session.session.auth_methods, "psc");
  auto context = oidc::authentication_context(in->session.session.auth_methods);
  EXPECT_EQ(context.amr, (std::vector<std::string>{"fed", "mfa"}));
  EXPECT_EQ(context.acr, oidc::kAcrHealthCard);
  EXPECT_TRUE(identities.find(kIssuer, "f:abc:899700218896")->last_used_at);
  auto signed_in = events("sign_in.success");
  ASSERT_EQ(signed_in.size(), 1u);
  EXPECT_EQ(signed_in[0], "sign_in.success psc provider=psc");
}

TEST_F(FederatedSignInServiceTest, AnAnswerIsJudgedOnce) {
  auto a = holder();
  link_directly(a, "f:abc:899700218896");
  auto [token, answer] = go();
  ASSERT_TRUE(std::holds_alternative<SignedIn>(*service.finish("psc", token, answer, {})));
  auto calls = op.calls.size();
  // The same cookie and answer again (a replay, a second tab): refused before
  // the provider is asked anything.
  EXPECT_EQ(refusal(service.finish("psc", token, answer, {})), "flow");
  EXPECT_EQ(op.calls.size(), calls);
  // No cookie, a forged one, an expired flow.
  EXPECT_EQ(refusal(service.finish("psc", "", answer, {})), "flow");
  EXPECT_EQ(refusal(service.finish("psc", "forged", answer, {})), "flow");
  auto [late, late_answer] = go();
  s.clock.advance(11min);
  EXPECT_EQ(refusal(service.finish("psc", late, late_answer, {})), "flow");
  auto refused = events("federation.refused");
  ASSERT_EQ(refused.size(), 4u);
  EXPECT_EQ(refused[0], "federation.refused provider=psc reason=flow detail=flow already used");
}

TEST_F(FederatedSignInServiceTest, EveryRefusalOfTheRelyingPartyIsAuditedWithItsWord) {
  auto a = holder();
  link_directly(a, "f:abc:899700218896");
  auto [t1, a1] = go();
  op.nonce = "not-the-one";
  EXPECT_EQ(refusal(service.finish("psc", t1, a1, {})), "nonce");
  auto [t2, a2] = go();
  op.tamper_signature = true;
  EXPECT_EQ(refusal(service.finish("psc", t2, a2, {})), "signature");
  op.tamper_signature = false;
  auto [t3, a3] = go();
  op.edit_id_token = [](boost::json::object& c) { c.erase("acr"); };
  EXPECT_EQ(refusal(service.finish("psc", t3, a3, {})), "acr");
  op.edit_id_token = nullptr;
  auto [t4, a4] = go();
  a4["state"] = "another";
  EXPECT_EQ(refusal(service.finish("psc", t4, a4, {})), "state");
  auto refused = events("federation.refused");
  ASSERT_EQ(refused.size(), 4u);
  EXPECT_EQ(refused[0].rfind("federation.refused provider=psc reason=nonce", 0), 0u) << refused[0];
  EXPECT_TRUE(events("sign_in.").empty());
}

TEST_F(FederatedSignInServiceTest, AProviderThatCannotBeReachedIsRefusedAsUnavailable) {
  op.unreachable = true;
  auto started = service.start("psc", kRedirect, {});
  ASSERT_TRUE(started);
  auto* refused = std::get_if<FederationRefused>(&*started);
  ASSERT_NE(refused, nullptr);
  EXPECT_EQ(refused->reason, "unavailable");
  auto unknown = service.start("nope", kRedirect, {});
  EXPECT_EQ(std::get<FederationRefused>(*unknown).reason, "unknown_provider");
}

TEST_F(FederatedSignInServiceTest, FirstUseLinksToTheAccountWithThisRppsAfterASignInMadeForIt) {
  auto a = holder();
  auto other = holder("mcurie", "10000000009");
  auto old_session = sessions.start(a.id, {}, "pwd+email");
  s.clock.advance(1s);
  auto pending = service.admit(identity(), {});
  ASSERT_TRUE(pending);
  auto* wait = std::get_if<FederationLinkPending>(&*pending);
  ASSERT_NE(wait, nullptr) << refusal(pending);
  auto shown = service.pending_link(wait->link_token);
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->label, "Pro Santé Connect");
  EXPECT_EQ(shown->display_name, "Jean Dupont");
  EXPECT_EQ(shown->rpps, kRpps);
  // A session opened before the identity came back proves nothing.
  s.clock.advance(1s);
  EXPECT_EQ(service.confirm_link(wait->link_token, old_session->session, {}).error().code, ErrorCode::FlowStateInvalid);
  // Another account's sign-in: refused, nothing linked.
  auto hers = sessions.start(other.id, {}, "pwd+email");
  auto wrong = service.confirm_link(wait->link_token, hers->session, {});
  ASSERT_TRUE(wrong);
  ASSERT_TRUE(std::holds_alternative<FederationRefused>(*wrong));
  EXPECT_EQ(std::get<FederationRefused>(*wrong).reason, "wrong_account");
  EXPECT_TRUE(identities.list_for_account(other.id)->empty());
  // The holder's sign-in: linked, audited, told.
  auto mine = sessions.start(a.id, {}, "pwd+email");
  auto linked = service.confirm_link(wait->link_token, mine->session, {});
  ASSERT_TRUE(linked) << linked.error().detail;
  ASSERT_TRUE(std::holds_alternative<FederatedLink>(*linked));
  EXPECT_EQ(std::get<FederatedLink>(*linked).account_id, a.id);
  EXPECT_EQ(service.confirm_link(wait->link_token, mine->session, {}).error().code, ErrorCode::NotFound);  // once
  ASSERT_EQ(told.size(), 1u);
  EXPECT_TRUE(told[0].linked);
  EXPECT_EQ(told[0].label, "Pro Santé Connect");
  auto linked_events = events("federation.linked");
  ASSERT_EQ(linked_events.size(), 1u);
  EXPECT_EQ(linked_events[0], "federation.linked provider=psc person=810002813839");
  // From now on the identity alone signs in.
  auto again = service.admit(identity(), {});
  ASSERT_TRUE(std::holds_alternative<SignedIn>(*again)) << refusal(again);
  EXPECT_EQ(service.links_of(a.id)->size(), 1u);
}

TEST_F(FederatedSignInServiceTest, AnUnknownOrMalformedPersonIsRefusedAsUnknownPerson) {
  holder();
  EXPECT_EQ(refusal(service.admit(identity("810000000009"), {})), "unknown_person");  // valid RPPS, no account
  EXPECT_EQ(refusal(service.admit(identity("810002813838"), {})), "unknown_person");  // wrong check digit
  EXPECT_EQ(refusal(service.admit(identity("0123456789"), {})), "unknown_person");    // ADELI: no RPPS
  auto refused = events("federation.refused");
  ASSERT_EQ(refused.size(), 3u);
  EXPECT_EQ(refused[0], "federation.refused provider=psc reason=unknown_person detail=no account");
}

TEST_F(FederatedSignInServiceTest, WithCreateAccountsAnUnknownPersonIsOfferedAnAccount) {
  storage::SqlFederatedAccountStore store{s.db, s.clock};
  FederatedAccountCreationService creation{*s.accounts, store, *s.flows, sessions, audit, secrets, random, s.clock,
                                           nullptr};
  FederatedSignInService creating{*s.accounts, identities, cards, *s.flows, sessions, audit, secrets, random, s.clock,
                                  nullptr, {FederationProvider{{"psc", "psc", "Pro Santé Connect", true, true}, &rp}}};
  creating.set_account_creation(&creation);
  auto person = identity("810000000009");
  person.email = "jean.dupont@example.org";
  auto out = creating.admit(person, {});
  ASSERT_TRUE(out) << out.error().detail;
  auto* offered = std::get_if<FederationAccountOffered>(&*out);
  ASSERT_NE(offered, nullptr);
  auto kept = creation.pending(offered->offer_token);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->proposal.rpps, "10000000009");
  EXPECT_TRUE(events("federation.refused").empty());
  // Claims that cannot make an account (no address): the usual refusal, once.
  EXPECT_EQ(refusal(creating.admit(identity("810000000009"), {})), "unknown_person");
  // Two accounts with the RPPS: support decides, never an offer.
  holder("rpps.one", "10000000009");
  holder("rpps.two", "10000000009");
  EXPECT_EQ(refusal(creating.admit(person, {})), "unknown_person");
  EXPECT_EQ(events("federation.refused").size(), 2u);
  // The provider without create_accounts (the fixture's service): refused.
  holder("rpps.three", "10002813839");
  auto other = identity("810000000017");
  other.email = "autre@example.org";
  EXPECT_EQ(refusal(service.admit(other, {})), "unknown_person");
}

TEST_F(FederatedSignInServiceTest, ADisabledAccountIsRefusedLinkedOrNot) {
  auto a = holder();
  ASSERT_TRUE(admin.set_status(a.identifier, AccountStatus::Disabled, std::nullopt, {}));
  EXPECT_EQ(refusal(service.admit(identity(), {})), "account_disabled");  // first use
  link_directly(a, identity().subject);
  EXPECT_EQ(refusal(service.admit(identity(), {})), "account_disabled");  // linked
  EXPECT_TRUE(events("sign_in.").empty());
}

TEST_F(FederatedSignInServiceTest, AnEstablishmentsProviderLinksWhicheverAccountSignsInAndIsOneFactor) {
  auto a = holder("agent", "");
  auto id = identity("agent-42");
  id.provider = "chu";
  id.issuer = "https://idp.chu.example";
  auto pending = service.admit(id, {});
  ASSERT_TRUE(std::holds_alternative<FederationLinkPending>(*pending)) << refusal(pending);
  auto token = std::get<FederationLinkPending>(*pending).link_token;
  s.clock.advance(1s);
  auto session = sessions.start(a.id, {}, "pwd");
  ASSERT_TRUE(std::holds_alternative<FederatedLink>(*service.confirm_link(token, session->session, {})));
  auto in = service.admit(id, {});
  ASSERT_TRUE(std::holds_alternative<SignedIn>(*in)) << refusal(in);
  EXPECT_EQ(std::get<SignedIn>(*in).session.session.auth_methods, "fed");
  EXPECT_EQ(oidc::authentication_context("fed").acr, oidc::kAcrPassword);
}

TEST_F(FederatedSignInServiceTest, UnlinkingIsPerOwnerAuditedAndTold) {
  auto a = holder();
  auto other = holder("mcurie", "10000000009");
  link_directly(a, "sub-1");
  auto none = service.unlink(other.id, "psc", other.id, {});
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto removed = service.unlink(a.id, "psc", other.id, {}, "identité inconnue du membre");  // an administrator
  ASSERT_TRUE(removed);
  EXPECT_TRUE(*removed);
  EXPECT_TRUE(service.links_of(a.id)->empty());
  ASSERT_EQ(told.size(), 1u);
  EXPECT_FALSE(told[0].linked);
  EXPECT_TRUE(told[0].by_staff);
  auto unlinked = events("federation.unlinked");
  ASSERT_EQ(unlinked.size(), 1u);
  EXPECT_EQ(unlinked[0], "federation.unlinked provider=psc person=810002813839; reason: identité inconnue du membre");
}

TEST(FederatedPersonId, OnlyAnRppsWithItsCheckDigitIsAnRpps) {
  EXPECT_EQ(rpps_of_person_id("810002813839"), std::optional<std::string>(kRpps));
  EXPECT_FALSE(rpps_of_person_id("810002813838"));
  EXPECT_FALSE(rpps_of_person_id("10002813839"));
  EXPECT_FALSE(rpps_of_person_id("0123456789"));
  EXPECT_FALSE(rpps_of_person_id("8100028138390"));
}

TEST(FederatedAuthMethods, PscIsStrongAnEstablishmentOnlyWhenDeclared) {
  EXPECT_EQ(federated_auth_methods({"psc", "psc", "PSC", true}), "psc");
  EXPECT_EQ(federated_auth_methods({"psc-test", "psc-sandbox", "PSC", true}), "psc");
  EXPECT_EQ(federated_auth_methods({"chu", "oidc", "CHU", true}), "fed");
  EXPECT_EQ(federated_auth_methods({"chu", "oidc", "CHU", false}), "fed-mfa");
}

}  // namespace
}  // namespace portier
