#include "admin/account_import.h"

#include <gtest/gtest.h>

#include "admin/account_admin_service.h"
#include "storage/stores/sql_activation_store.h"
#include "storage/stores/sql_outbox_store.h"
#include "storage/stores/sql_rate_limit_store.h"
#include "storage/stores/sql_recovery_store.h"
#include "support/sqlite_fixture.h"

namespace portier {
namespace {

namespace sq = storage;

const std::string kHeader = "identifier,email,name,mobile,rpps\n";

TEST(ParseCsv, QuotesCommasNewlinesCrlfAndBom) {
  auto records = parse_csv("\xEF\xBB\xBFidentifier,email\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\r\n\"two\nlines\",x\r\nlast,y");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].fields, (std::vector<std::string>{"identifier", "email"}));
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"a,b", "say \"hi\""}));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"two\nlines", "x"}));
  EXPECT_EQ(records[2].line, 4) << "the blank line 3 is skipped and counted";
  EXPECT_EQ(records[3].line, 6);
  EXPECT_EQ(records[3].fields, (std::vector<std::string>{"last", "y"}));
}

TEST(ParseCsv, StrayAndUnterminatedQuotes) {
  auto records = parse_csv("a,b\"c\n\"open,x\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0].stray_quote);
  EXPECT_TRUE(records[1].unterminated_quote);
}

class AccountImportTest : public ::testing::Test {
protected:
  testing_support::SqliteStores s;
  SecretHasher secrets{std::string(32, 'k')};
  SodiumRandom random;
  AuditLog audit{*s.audit, s.clock};
  PasswordHasher hasher{Argon2Params{1024, 1, 1}};
  PasswordPolicy policy{PasswordPolicyConfig{}, std::make_shared<PasswordBlocklist>(PasswordBlocklist::from_words({}))};
  SessionService sessions{*s.sessions, secrets, random, s.clock, SessionPolicy{}};
  AccountAdminService admin{*s.accounts, sessions, hasher, policy, audit, random, s.clock, AdminSettings{"portier"}};
  sq::SqlOutboxStore outbox{s.db};
  sq::SqlRateLimitStore limits{s.db};
  sq::SqlRecoveryStore tokens{s.db};
  sq::SqlActivationStore store{s.db};
  RateLimiter limiter{limits, s.clock};
  MessageComposer composer{std::string(PORTIER_SOURCE_DIR) + "/templates/mail", "portier", "https://portail.example"};
  ActivationService activation{*s.accounts, tokens, store, limiter, composer, hasher, policy, audit, secrets, random,
                               s.clock, nullptr, ActivationSettings{}};
  AccountImport import{*s.accounts, activation, audit, ImportSettings{"+33", "fr", 100}};

  std::vector<std::string> codes(const ImportReport& r) {
    std::vector<std::string> out;
    for (auto& p : r.problems) out.push_back(std::to_string(p.line) + ":" + p.code);
    return out;
  }
  std::size_t account_count() { return s.accounts->list(1000, 0)->size(); }
};

TEST_F(AccountImportTest, AGoodFileCreatesPendingMembersAndQueuesInvitations) {
  auto r = import.apply(kHeader +
                            "Claire.Martin,claire@Example.ORG,Claire Martin,06 12 34 56 78,10001234567\n"
                            "\"paul.durand\",paul@example.org,\"Durand, Paul\",,\n",
                        std::nullopt, {});
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_TRUE(r->ok());
  EXPECT_TRUE(r->applied);
  ASSERT_EQ(r->accounts.size(), 2u);
  EXPECT_EQ(r->invitations_queued, 2);
  auto claire = *s.accounts->find_by_identifier("claire.martin");
  EXPECT_EQ(claire.status, AccountStatus::Pending);
  EXPECT_EQ(claire.role, Role::Member);
  EXPECT_EQ(claire.email, "claire@example.org");
  EXPECT_EQ(claire.phone, "+33612345678");
  EXPECT_EQ(claire.rpps, "10001234567");
  EXPECT_EQ(s.accounts->find_by_identifier("paul.durand")->display_name, "Durand, Paul");
  auto queued = *outbox.list(10, 0);
  ASSERT_EQ(queued.size(), 2u);
  EXPECT_EQ(queued[0].kind, "account.invitation");
}

TEST_F(AccountImportTest, EveryBadLineIsReportedAndNothingChanges) {
  ASSERT_TRUE(admin.add(NewAccount{"deja.la", "deja@example.org", "", "", "", Role::Member, std::nullopt}, std::nullopt, {}));
  auto csv = kHeader +
             "bon.membre,bon@example.org,Bon,,\n"        // 2 fine
             "x,x@example.org,,,\n"                      // 3 identifier too short
             "mauvais.mail,pas-une-adresse,,,\n"          // 4 email
             "mauvais.mobile,m@example.org,,12,\n"        // 5 mobile
             "mauvais.rpps,r@example.org,,,1234\n"        // 6 rpps
             "bon.membre,autre@example.org,,,\n"          // 7 duplicate of line 2
             "DEJA.LA,d@example.org,,,\n"                 // 8 taken in the database
             "trop,de,champs,ici,la,encore\n"             // 9 columns
             "guillemet,a\"b@example.org,,,\n"            // 10 stray quote
             "trop.champs,t@example.org,,,,en trop\n"     // 11 more cells than the header
             + "nom.long,n@example.org," + std::string(121, 'n') + ",,\n";  // 12 name
  for (bool dry : {true, false}) {
    auto r = dry ? import.check(csv) : import.apply(csv, std::nullopt, {});
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_FALSE(r->applied);
    EXPECT_EQ(codes(*r), (std::vector<std::string>{"3:identifier_invalid", "4:email_invalid", "5:mobile_invalid",
                                                   "6:rpps_invalid", "7:identifier_duplicate", "8:identifier_taken",
                                                   "9:columns", "10:quote", "11:columns", "12:name_invalid"}));
    EXPECT_NE(r->problems[4].message.find("line 2"), std::string::npos);
  }
  EXPECT_EQ(account_count(), 1u) << "nothing was created, not even the good line";
  EXPECT_TRUE(outbox.list(10, 0)->empty());
}

TEST_F(AccountImportTest, AGoodFileChecksWithoutChangingAnything) {
  auto r = import.check(kHeader + "bon.membre,bon@example.org,,,\n");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->ok());
  EXPECT_EQ(r->accounts.size(), 1u);
  EXPECT_EQ(account_count(), 0u);
}

TEST_F(AccountImportTest, HeaderEmptyFileAndUnterminatedQuote) {
  EXPECT_EQ(codes(*import.check("")), std::vector<std::string>{"1:empty"});
  EXPECT_EQ(codes(*import.check(kHeader)), std::vector<std::string>{"1:empty"});
  EXPECT_EQ(codes(*import.check("login,courrier,name,mobile,rpps\nbon.membre,bon@example.org,,,\n")),
            std::vector<std::string>{"1:header"})
      << "no email column";
  EXPECT_EQ(codes(*import.check(kHeader + "a.b,a@example.org,\"never closed,,\n")), std::vector<std::string>{"2:quote"});
  // Header case and a BOM with CRLF are accepted.
  auto r = import.check("\xEF\xBB\xBFIdentifier,Email,Name,Mobile,RPPS\r\nbon.membre,bon@example.org,,,\r\n");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->ok());
}

TEST_F(AccountImportTest, FrenchOfficeFileSemicolonsWindows1252AndNoIdentifierColumn) {
  ASSERT_TRUE(admin.add(NewAccount{"claire.martin", "autre@example.org", "", "", "", Role::Member, std::nullopt},
                        std::nullopt, {}));
  // As Excel saves "CSV (séparateur : point-virgule)" on a French Windows.
  auto csv = std::string("Nom;Pr\xE9nom;Adresse e-mail;T\xE9l\xE9phone;RPPS;Service\r\n") +
             "Martin;Claire;claire@example.org;06 12 34 56 78;10001234567;Cardiologie\r\n" +
             "L\xE9vy;H\xE9l\xE8ne;helene@example.org;;;\r\n" +
             "Martin;Claire;claire2@example.org;;;\r\n" +
             ";;;;;\r\n";  // an empty row, as spreadsheets leave them
  auto r = import.check(csv);
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_TRUE(r->ok()) << codes(*r).size();
  EXPECT_EQ(r->encoding, "windows-1252");
  EXPECT_EQ(r->separator, ';');
  EXPECT_TRUE(r->identifiers_made);
  EXPECT_EQ(r->ignored_columns, std::vector<std::string>{"Service"});
  ASSERT_EQ(r->accounts.size(), 3u);
  EXPECT_EQ(r->accounts[0].identifier, "claire.martin2") << "claire.martin is taken in the database";
  EXPECT_EQ(r->accounts[0].display_name, "Claire Martin");
  EXPECT_EQ(r->accounts[0].phone, "+33612345678");
  EXPECT_EQ(r->accounts[1].identifier, "helene.levy");
  EXPECT_EQ(r->accounts[1].display_name, "Hélène Lévy");
  EXPECT_EQ(r->accounts[2].identifier, "claire.martin3") << "and claire.martin2 is taken by line 2";
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->rows[1].cells[static_cast<int>(ImportField::FirstName)], "Hélène");
  EXPECT_EQ(r->rows[1].cells[static_cast<int>(ImportField::Identifier)], "helene.levy");
}

TEST_F(AccountImportTest, EnglishHeadersInAnyOrderWithBomAndQuotes) {
  auto csv = std::string("\xEF\xBB\xBF") + "email,last name,first name,phone,rpps\n" +
             "paul@example.org,\"Durand, fils\",Paul,+32 470 12 34 56,\n";
  auto r = import.check(csv);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->ok());
  EXPECT_EQ(r->encoding, "utf-8");
  EXPECT_EQ(r->separator, ',');
  ASSERT_EQ(r->accounts.size(), 1u);
  EXPECT_EQ(r->accounts[0].display_name, "Paul Durand, fils");
  EXPECT_EQ(r->accounts[0].identifier, "paul.durand.fils");
  EXPECT_EQ(r->accounts[0].phone, "+32470123456");
}

TEST_F(AccountImportTest, EachBadValueIsTiedToItsColumnAndTheValidLinesCanBeImported) {
  auto csv = std::string("Nom;Prénom;Adresse e-mail;Téléphone;RPPS\n") +
             "Martin;Claire;claire@example.org;;\n" +  // 2 fine
             "Durand;Paul;pas-une-adresse;12;1234\n" +  // 3 email, mobile, rpps
             "Roy;Léa;lea@example.org;;\n";             // 4 fine
  auto checked = import.check(csv);
  ASSERT_TRUE(checked);
  std::vector<std::string> fields;
  for (auto& p : checked->problems) fields.push_back(std::to_string(p.line) + ":" + p.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"3:email", "3:mobile", "3:rpps"}));
  ASSERT_EQ(checked->rows.size(), 3u);
  EXPECT_FALSE(checked->rows[1].valid);
  EXPECT_EQ(checked->rows[1].cells[static_cast<int>(ImportField::Email)], "pas-une-adresse");

  // All or nothing by default (the command line); the console imports the valid lines.
  auto refused = import.apply(csv, std::nullopt, {});
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->applied);
  EXPECT_EQ(account_count(), 0u);
  auto done = import.apply(csv, std::nullopt, {}, true);
  ASSERT_TRUE(done);
  EXPECT_TRUE(done->applied);
  ASSERT_EQ(done->accounts.size(), 2u);
  EXPECT_GT(done->accounts[0].id, 0);
  EXPECT_EQ(done->accounts[done->rows[2].account].identifier, "lea.roy");
  EXPECT_EQ(done->problems.size(), 3u) << "the bad line is still reported";
  EXPECT_EQ(account_count(), 2u);
  EXPECT_EQ(done->invitations_queued, 2);
}

TEST_F(AccountImportTest, AProblemOfTheWholeFileStopsEvenTheValidLines) {
  std::string csv = "email\n";
  for (int i = 0; i < 101; ++i) csv += "m" + std::to_string(i) + "@example.org\n";
  auto r = import.apply(csv, std::nullopt, {}, true);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->applied);
  EXPECT_EQ(account_count(), 0u);
}

TEST_F(AccountImportTest, TooManyLinesIsOneProblem) {
  std::string csv = kHeader;
  for (int i = 0; i < 101; ++i) csv += "membre" + std::to_string(i) + ",m@example.org,,,\n";
  EXPECT_EQ(codes(*import.check(csv)), std::vector<std::string>{"102:too_many_lines"});
}

}  // namespace
}  // namespace portier
