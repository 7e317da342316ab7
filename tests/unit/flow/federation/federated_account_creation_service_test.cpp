// Accounts created from Pro Santé Connect's claims, over real stores
// (in-memory SQLite): the offer keeps what PSC vouched for and refuses claims
// that cannot make an account; the confirmation is single use, creates one
// active member with the RPPS, the address and a made identifier, linked to
// the identity and signed in ("psc"), audited and welcomed; an identity, an
// RPPS or an address already in use refuses with nothing written.
#include "flow/federation/federated_account_creation_service.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "storage/stores/sql_federated_account_store.h"
#include "support/service_parts.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

constexpr const char* kRpps = "10002813839";  // Luhn-valid

class FederatedAccountCreationTest : public ::testing::Test, protected testing_support::ServiceParts {
protected:
  storage::SqlFederatedAccountStore store{s.db, s.clock};
  std::vector<std::string> welcomed;
  FederatedAccountCreationService service{*s.accounts, store, *s.flows, sessions, audit, secrets, random, s.clock,
                                          [this](const Account& a, const AccountProposal&) {
                                            welcomed.push_back(a.identifier);
                                          }};

  static federation::FederatedIdentity identity(std::string email = "Jeanne.Dupont@Example.org",
                                                std::string person_id = std::string("8") + kRpps) {
    federation::FederatedIdentity id;
    id.provider = "psc";
    id.issuer = "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet";
    id.subject = "f:550e8400:ANS-8" + std::string(kRpps);
    id.person_id = std::move(person_id);
    id.given_name = "Jeanne";
    id.family_name = "Dupont";
    id.email = std::move(email);
    id.acr = "eidas1";
    id.id_token = "eyJ.header.sig";
    id.claims = boost::json::parse(
                    R"({"SubjectRefPro":{"codeCivilite":"MME","exercices":[{"codeProfession":"10",)"
                    R"("codeCategorieProfessionnelle":"C","codeSavoirFaire":"SM54"}]}})")
                    .as_object();
    return id;
  }
  std::string offered(const federation::FederatedIdentity& id = identity()) {
    auto out = service.offer(id, {});
    EXPECT_TRUE(out);
    if (!out) return {};
    auto* o = std::get_if<CreationOffered>(&*out);
    EXPECT_NE(o, nullptr);
    return o ? o->token : std::string();
  }
  std::vector<std::string> events(const char* like) {
    auto lease = s.db->acquire();
    auto rows = storage::sql::read_rows(
        lease.query("SELECT event, detail FROM audit_events WHERE event LIKE ? ORDER BY id", like),
        [](const storage::sql::Statement& r) { return r.text(0) + " " + r.text(1); });
    return rows ? *rows : std::vector<std::string>{};
  }
  int count(const char* table) {
    auto lease = s.db->acquire();
    auto rows = storage::sql::read_rows(lease.query(std::string("SELECT count(*) FROM ") + table),
                                        [](const storage::sql::Statement& r) { return r.int64(0); });
    return rows && !rows->empty() ? static_cast<int>(rows->front()) : -1;
  }
  CreationRefusal refusal(const Result<CreateOutcome>& out) {
    EXPECT_TRUE(out) << (out ? "" : out.error().detail);
    auto* r = out ? std::get_if<CreationRefused>(&*out) : nullptr;
    EXPECT_NE(r, nullptr);
    return r ? r->reason : CreationRefusal::Unusable;
  }
};

TEST_F(FederatedAccountCreationTest, TheOfferShowsWhatPscVouchesFor) {
  auto out = service.offer(identity(), {});
  ASSERT_TRUE(out);
  const auto& o = std::get<CreationOffered>(*out);
  EXPECT_EQ(o.token.size(), 43u);
  EXPECT_EQ(o.expires_at, s.clock.now() + 15min);
  EXPECT_EQ(o.proposal.rpps, kRpps);
  EXPECT_EQ(o.proposal.email, "Jeanne.Dupont@example.org");
  EXPECT_EQ(o.proposal.display_name(), "Jeanne Dupont");
  EXPECT_EQ(o.proposal.profession.code, "10");
  EXPECT_EQ(o.proposal.profession.label, "Médecin");
  auto kept = service.pending(o.token);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->proposal.subject, identity().subject);
  EXPECT_EQ(kept->proposal.profession.label, "Médecin");
  EXPECT_EQ(count("accounts"), 0);
}

TEST_F(FederatedAccountCreationTest, ClaimsThatCannotMakeAnAccountAreRefused) {
  auto bad_rpps = identity("j@example.org", "810002813838");  // check digit wrong
  auto adeli = identity("j@example.org", "0123456789");
  auto no_email = identity("");
  auto no_name = identity();
  no_name.family_name = "  ";
  for (const auto& id : {bad_rpps, adeli, no_email, no_name}) {
    auto out = service.offer(id, {});
    ASSERT_TRUE(out);
    ASSERT_TRUE(std::holds_alternative<CreationRefused>(*out)) << id.person_id << " " << id.email;
    EXPECT_EQ(std::get<CreationRefused>(*out).reason, CreationRefusal::Unusable);
  }
  // The sign-in's unknown_person refusal, which follows, is the one event.
  EXPECT_TRUE(events("federation.%").empty());
  EXPECT_EQ(count("flows"), 0);
}

TEST_F(FederatedAccountCreationTest, ConfirmingCreatesALinkedActiveMemberAndSignsThemIn) {
  auto token = offered();
  auto out = service.confirm(token, {"192.0.2.1", "test"});
  ASSERT_TRUE(out) << out.error().detail;
  auto* done = std::get_if<SignedIn>(&*out);
  ASSERT_NE(done, nullptr);
  const auto& a = done->account;
  EXPECT_EQ(a.identifier, "jeanne.dupont");
  EXPECT_EQ(a.email, "Jeanne.Dupont@example.org");
  EXPECT_EQ(a.display_name, "Jeanne Dupont");
  EXPECT_EQ(a.rpps, std::optional<std::string>(kRpps));
  EXPECT_EQ(a.role, Role::Member);
  EXPECT_EQ(a.status, AccountStatus::Active);
  EXPECT_TRUE(a.password_hash.empty());
  EXPECT_EQ(done->session.session.auth_methods, "psc");
  EXPECT_EQ(done->session.session.account_id, a.id);

  auto stored = s.accounts->find_by_id(a.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->rpps, std::optional<std::string>(kRpps));
  EXPECT_EQ(stored->status, AccountStatus::Active);
  EXPECT_TRUE(stored->last_sign_in_at.has_value());
  EXPECT_EQ(count("federated_identities"), 1);
  EXPECT_EQ(welcomed, std::vector<std::string>{"jeanne.dupont"});
  auto audited = events("federation.%");
  ASSERT_EQ(audited.size(), 2u);
  EXPECT_EQ(audited[0], "federation.account_created provider=psc; role=member; profession=10");
  EXPECT_EQ(audited[1], "federation.linked provider=psc; created");
  EXPECT_EQ(events("sign_in.success").size(), 1u);
}

TEST_F(FederatedAccountCreationTest, TheOfferIsSingleUseSoTwoTabsMakeOneAccount) {
  auto token = offered();
  ASSERT_TRUE(std::holds_alternative<SignedIn>(*service.confirm(token, {})));
  EXPECT_EQ(refusal(service.confirm(token, {})), CreationRefusal::AlreadyUsed);
  EXPECT_EQ(service.pending(token).error().code, ErrorCode::NotFound);
  EXPECT_EQ(count("accounts"), 1);
  // A second offer for the same identity (the member went through PSC again
  // in another tab before the first confirmed): the identity is linked now.
  auto again = offered();
  EXPECT_EQ(refusal(service.confirm(again, {})), CreationRefusal::AlreadyLinked);
  EXPECT_EQ(count("accounts"), 1);
  EXPECT_EQ(count("federated_identities"), 1);
}

TEST_F(FederatedAccountCreationTest, AnAddressAlreadyUsedRefusesWithNothingWritten) {
  add_member("autre", "jeanne.dupont@EXAMPLE.org");
  auto token = offered();
  EXPECT_EQ(refusal(service.confirm(token, {})), CreationRefusal::EmailTaken);
  EXPECT_EQ(count("accounts"), 1);
  EXPECT_EQ(count("federated_identities"), 0);
  EXPECT_EQ(count("sessions"), 0);
  EXPECT_TRUE(welcomed.empty());
  EXPECT_EQ(events("federation.%").back(), "federation.refused provider=psc reason=email_taken");
}

TEST_F(FederatedAccountCreationTest, AnRppsThatGotAnAccountMeanwhileRefuses) {
  auto token = offered();
  ASSERT_TRUE(admin.add(NewAccount{"jdupont", "cabinet@example.org", "Dr Jeanne Dupont", "", kRpps, Role::Member, std::nullopt}, std::nullopt, {}));
  EXPECT_EQ(refusal(service.confirm(token, {})), CreationRefusal::RppsTaken);
  EXPECT_EQ(count("accounts"), 1);
  EXPECT_EQ(count("federated_identities"), 0);
}

TEST_F(FederatedAccountCreationTest, AnExpiredOfferCreatesNothing) {
  auto token = offered();
  s.clock.advance(15min);
  EXPECT_EQ(service.pending(token).error().code, ErrorCode::Expired);
  EXPECT_EQ(refusal(service.confirm(token, {})), CreationRefusal::Expired);
  EXPECT_EQ(refusal(service.confirm("forged", {})), CreationRefusal::Expired);
  EXPECT_EQ(refusal(service.confirm("", {})), CreationRefusal::Expired);
  EXPECT_EQ(count("accounts"), 0);
}

TEST_F(FederatedAccountCreationTest, ACancelledOfferCannotBeConfirmed) {
  auto token = offered();
  ASSERT_TRUE(service.cancel(token));
  EXPECT_EQ(refusal(service.confirm(token, {})), CreationRefusal::AlreadyUsed);
  EXPECT_TRUE(service.cancel(token));
  EXPECT_TRUE(service.cancel("unknown"));
  EXPECT_EQ(count("accounts"), 0);
}

TEST_F(FederatedAccountCreationTest, ATakenIdentifierGetsTheNextNumber) {
  add_member("jeanne.dupont", "homonyme@example.org");
  auto out = service.confirm(offered(), {});
  ASSERT_TRUE(out);
  EXPECT_EQ(std::get<SignedIn>(*out).account.identifier, "jeanne.dupont2");
}

TEST(Profession, ReadFromSubjectRefProInEitherShape) {
  auto object = boost::json::parse(R"({"SubjectRefPro":{"exercices":[{"codeProfession":"60"}]}})").as_object();
  EXPECT_EQ(profession_from_claims(object).label, "Infirmier");
  auto text = boost::json::parse(
                  R"({"SubjectRefPro":"{\"exercices\":[{\"nomExercice\":\"X\"},{\"codeProfession\":\"40\"}]}"})")
                  .as_object();
  auto p = profession_from_claims(text);
  EXPECT_EQ(p.code, "40");
  EXPECT_EQ(p.label, "Chirurgien-Dentiste");
  auto unknown = boost::json::parse(R"({"SubjectRefPro":{"exercices":[{"codeProfession":"99"}]}})").as_object();
  EXPECT_EQ(profession_from_claims(unknown).code, "99");
  EXPECT_EQ(profession_from_claims(unknown).label, "");
  EXPECT_EQ(profession_from_claims(boost::json::object{}).code, "");
  auto hostile = boost::json::parse(R"({"SubjectRefPro":{"exercices":[{"codeProfession":"<b>"}]}})").as_object();
  EXPECT_EQ(profession_from_claims(hostile).code, "");
  EXPECT_EQ(profession_label("50"), "Sage-Femme");
  EXPECT_EQ(profession_label("21"), "Pharmacien");
}

}  // namespace
}  // namespace portier
