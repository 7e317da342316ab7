// `portier db copy` (storage/copy): an SQLite file with a row in every table
// moves into PostgreSQL with its ids, verified by counts and checksums;
// running it again is safe; a target holding other data, schemas that
// differ, an outdated source and a copy that reads back differently are all
// refused without changing the target. PostgreSQL only: skipped without
// PORTIER_TEST_PG_DSN (scripts/with-postgres.sh sets it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>

#include "contract/sql_backends.h"
#include "storage/copy/copy_endpoints.h"
#include "storage/copy/database_copy.h"
#include "storage/migrations.h"
#include "storage/sql/postgres_driver.h"
#include "storage/sql/sqlite_driver.h"

namespace portier::contract {
namespace {

using storage::copy::CopyOutcome;
using storage::sql::Database;
using storage::sql::Lease;
using storage::sql::Statement;

// One row (or more) in every table of the SQLite schema, with the values a
// copy could get wrong: ids with gaps, NULLs, non-ASCII text, quotes, large
// integers, 0/1 booleans, text keys whose order depends on the collation.
const char* kRows = R"SQL(
INSERT INTO accounts (id, identifier, email, display_name, phone, phone_verified_at, code_channel, status, role, rpps,
                      password_hash, password_is_temporary, password_expires_at, created_at, updated_at, last_sign_in_at)
VALUES (1, 'claire.martin', 'claire@example.org', 'Claire Martin', '+33612345678', 1700000100, 'sms', 'active',
        'admin', '10001234567', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 0, NULL, 1700000000, 1700000200,
        1700000300),
       (7, 'Hélène.Öz', 'helene@example.org', 'Hélène « l’Ouvrière » O''Brien', NULL, NULL, 'email', 'pending',
        'member', NULL, '', 1, 1700999999, 1700000400, 1700000400, NULL);
INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, expires_at, ip, user_agent, auth_methods, confirmed_at, sid)
VALUES ('Zs1', 1, 1700000300, 1700000350, 1700086400, '192.0.2.1', 'Mozilla/5.0 "quoted"', 'pwd+app', 1700000360, 'sid-1'),
       ('as2', 7, 1700000300, 1700000300, 1700086400, '2001:db8::1', '', 'pwd', NULL, 'sid-2');
INSERT INTO flows (id_hash, kind, state, account_id, created_at, expires_at, attempts, data)
VALUES ('f1', 'recovery', 'code_sent', 7, 1700000500, 1700001400, 2, '{"lang":"fr","x":"é"}'),
       ('f2', 'sign_in', 'started', NULL, 1700000500, 1700001400, 0, '{}');
INSERT INTO audit_events (id, at, event, actor_id, target_id, ip, user_agent, detail)
VALUES (3, 1700000000, 'account.created', NULL, 1, '', '', 'cli'),
       (9, 1700000600, 'sign_in.failed', 7, 7, '192.0.2.9', 'curl', 'mot de passe erroné');
INSERT INTO outbox (id, channel, recipient, account_id, kind, lang, subject, body_text, body_html, reply_to, status,
                    attempts, created_at, next_attempt_at, sent_at, last_error)
VALUES (4, 'email', 'claire@example.org', 1, 'recovery.code', 'fr', 'Votre code', 'Code : 123456', '<p>Code</p>',
        'aide@example.org', 'sent', 1, 1700000700, 1700000700, 1700000701, ''),
       (5, 'sms', '+33612345678', NULL, 'sign_in.code', 'en', '', '', '', '', 'deferred', 3, 1700000800,
        1700000900, NULL, '503 busy');
INSERT INTO spent_robot_challenges (challenge_hash, expires_at) VALUES ('c0ffee', 1700009999);
INSERT INTO one_time_tokens (hash, purpose, account_id, created_at, expires_at, used_at)
VALUES ('t1', 'invitation_link', 7, 1700000000, 1700600000, NULL),
       ('t2', 'recovery_code', 1, 1700000000, 1700000900, 1700000100);
INSERT INTO rate_limits (key, window_start, count) VALUES ('recovery:ip:192.0.2.1', 1700000000, 3);
INSERT INTO sign_in_lockouts (key, account_id, failures, locked_until, until_reset, updated_at)
VALUES ('pw:total:abc', 7, 20, NULL, 1, 1700000600), ('pw:device:def', NULL, 2, 1700000900, 0, 1700000600);
INSERT INTO totp_credentials (account_id, secret_box, pending_box, pending_at, confirmed_at, last_step)
VALUES (1, 'bm9uY2U=', NULL, NULL, 1700000100, 1099511627776);
INSERT INTO totp_recovery_codes (hash, account_id, used_at) VALUES ('r1', 1, NULL), ('r2', 1, 1700000200);
INSERT INTO assistance_requests (id, created_at, status, target_text, account_id, name, phone, email, message,
                                 preferred_slots, assigned_to, scheduled_at, closed_at, note, lang, reference)
VALUES (12, 1700000900, 'in_progress', 'Hélène.Öz', 7, 'Hélène', '+33698765432', NULL, 'Je n’arrive plus à me connecter',
        '[1700100000,1700103600]', 1, 1700100000, NULL, 'rappeler', 'fr', 'A-7K3Q');
INSERT INTO oidc_signing_keys (kid, alg, state, public_jwk, private_box, created_at, activated_at, retired_at)
VALUES ('k-active', 'ES256', 'active', '{"kty":"EC"}', 'Ym94', 1700000000, 1700000000, NULL),
       ('k-retired', 'ES256', 'retired', '{"kty":"EC"}', 'Ym94', 1600000000, 1600000000, 1700000000);
INSERT INTO oidc_clients (client_id, name, secret_hash, is_public, trusted, redirect_uris, post_logout_redirect_uris,
                          backchannel_logout_uri, auth_method, jwks, id_token_alg, grant_types, scopes,
                          access_token_format, access_token_audience, id_token_claims, require_pkce, created_at,
                          updated_at, secret_rotated_at)
VALUES ('c-agenda', 'Agenda « partagé »', 'abcd', 0, 1, '["https://agenda.example.org/cb"]', '[]', '', 'client_secret_basic',
        '', 'RS256', '["authorization_code","refresh_token"]', '["openid","rpps"]', 'opaque', '', '["email"]', 1,
        1700000000, 1700000100, NULL);
INSERT INTO oidc_consents (account_id, client_id, scopes, implicit, granted_at, last_used_at)
  VALUES (1, 'c-agenda', 'openid email', 0, 1700000000, 1700000100);
INSERT INTO oidc_session_clients (sid, account_id, client_id, first_used_at, last_used_at)
VALUES ('sid-1', 1, 'c-agenda', 1700000300, 1700000400);
INSERT INTO oidc_backchannel_queue (id, client_id, account_id, sid, status, attempts, created_at, next_attempt_at,
                                    sent_at, last_error, claim_token)
VALUES (6, 'c-agenda', 7, 'sid-2', 'deferred', 2, 1700000500, 1700000560, NULL, 'HTTP status 503', 'c1'),
       (8, 'c-agenda', 1, 'sid-1', 'sent', 1, 1700000600, 1700000600, 1700000601, '', 'c2');
-- The token side's tables (they reference the client c-agenda, from oidc_clients).
INSERT INTO oidc_codes (code_hash, client_id, account_id, grant_json, created_at, expires_at, used_at)
VALUES ('cd1', 'c-agenda', 1, '{"client_id":"c-agenda","scopes":["openid"],"nonce":"é"}', 1700000000, 1700000060, NULL);
INSERT INTO oidc_refresh_tokens (token_hash, family_id, client_id, account_id, sid, scopes, auth_time, amr, acr, code_hash,
                                 created_at, expires_at, family_expires_at, rotated_at, replaced_by, revoked_at)
VALUES ('rt1', 'fam1', 'c-agenda', 1, 'sid1', 'openid offline_access', 1700000000, 'pwd otp', 'urn:portier:acr:mfa', 'cd1',
        1700000010, 1701209610, 1702592010, 1700000500, 'rt2', NULL),
       ('rt2', 'fam1', 'c-agenda', 1, 'sid1', 'openid offline_access', 1700000000, 'pwd otp', 'urn:portier:acr:mfa', 'cd1',
        1700000500, 1701210100, 1702592010, NULL, NULL, NULL);
INSERT INTO oidc_access_tokens (token_key, format, client_id, account_id, sid, scopes, audience, auth_time, amr, acr,
                                family_id, code_hash, created_at, expires_at, revoked_at)
VALUES ('at1', 'opaque', 'c-agenda', 1, 'sid1', 'openid', 'c-agenda', 1700000000, 'pwd', 'urn:portier:acr:pwd', 'fam1',
        'cd1', 1700000010, 1700000610, NULL),
       ('jti-2', 'jwt', 'c-agenda', NULL, '', 'api.read', 'https://api.example.org', NULL, '', '', '', '', 1700000010,
        1700000610, 1700000100);
INSERT INTO oidc_assertion_jtis (client_id, jti, expires_at) VALUES ('c-agenda', 'j-1', 1700000300);
INSERT INTO linked_cards (sha256, account_id, subject, issuer, serial, holder, not_after, linked_at, last_used_at)
VALUES ('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 1,
        'CN=810002813839+SN=DUPONT+GN=JEAN,title=Médecin,C=FR', 'CN=AC IGC-SANTE FORT PERSONNES,C=FR', '0A1B',
        'Jean Dupont', 1800000000, 1700000000, NULL);
INSERT INTO federated_sessions (sid, provider, id_token_box, expires_at)
VALUES ('sid1', 'psc', 'bm9uY2UgYW5kIGJveA==', 1700043200);
INSERT INTO federated_identities (provider, issuer, subject, account_id, person_id, display_name, linked_at, last_used_at)
VALUES ('psc', 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet', 'f3c1-é', 1, '810002813839', 'Jean Dupont',
        1700000000, 1700000100);
)SQL";

std::string pg_dsn() { return std::getenv("PORTIER_TEST_PG_DSN") ? std::getenv("PORTIER_TEST_PG_DSN") : ""; }

std::int64_t count(Database& db, const std::string& table) {
  auto lease = db.acquire();
  auto stmt = lease.query("SELECT count(*) FROM " + table);
  EXPECT_TRUE(stmt) << stmt.error().detail;
  EXPECT_TRUE(stmt->step().value());
  return stmt->int64(0);
}

class DbCopy : public ::testing::Test {
protected:
  void SetUp() override {
    if (pg_dsn().empty()) GTEST_SKIP() << "PORTIER_TEST_PG_DSN is not set (scripts/with-postgres.sh sets it)";
    static int n = 0;
    path_ = (std::filesystem::temp_directory_path() /
             ("portier-copy-" + std::to_string(getpid()) + "-" + std::to_string(++n) + ".db"))
                .string();
  }
  void TearDown() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }

  // The populated SQLite file; it stays open (a "running server") while
  // tests read it through open_source, read-only.
  void make_source(const std::vector<storage::Migration>& migrations = storage::migrations()) {
    writer_ = storage::sql::open_sqlite(path_, 1).value();
    auto applied = writer_->migrate(migrations);
    ASSERT_TRUE(applied) << applied.error().detail;
    if (migrations.size() == storage::migrations().size()) ASSERT_TRUE(writer_->acquire().exec(kRows));
    source_ = storage::copy::open_source(path_).value();
  }
  std::shared_ptr<Database> make_target() {
    target_dsn_ = fresh_postgres_schema();
    return storage::copy::open_target(target_dsn_).value();
  }

  std::string path_;
  std::string target_dsn_;
  std::shared_ptr<Database> writer_, source_;
};

TEST_F(DbCopy, CopiesEveryTableKeepingIdsAndVerifiesIt) {
  make_source();
  auto target = make_target();
  auto report = storage::copy::copy_database(*source_, *target);
  ASSERT_TRUE(report) << report.error().detail;
  EXPECT_EQ(report->outcome, CopyOutcome::Copied);
  EXPECT_GT(report->target_migrations, 0);

  // Every data table of the SQLite schema, each with rows, each verified.
  std::set<std::string> tables;
  {
    auto lease = writer_->acquire();
    auto names = storage::sql::read_rows(
        lease.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                    " AND name NOT LIKE 'account_search%' AND name <> 'schema_migrations'"),
        [](const Statement& s) { return s.text(0); });
    ASSERT_TRUE(names);
    tables.insert(names->begin(), names->end());
  }
  ASSERT_GE(tables.size(), 12u);
  std::set<std::string> copied;
  for (const auto& t : report->tables) {
    copied.insert(t.source.table);
    EXPECT_GE(t.source.rows, 1) << t.source.table << ": the fixture must put a row in every table";
    EXPECT_TRUE(t.ok()) << t.source.table;
    EXPECT_EQ(t.source.checksum.size(), 64u);
    EXPECT_EQ(count(*target, t.source.table), t.source.rows) << t.source.table;
  }
  EXPECT_EQ(copied, tables);
  // accounts before the tables that reference it.
  EXPECT_EQ(report->tables.front().source.table, "accounts");
  std::string skipped;
  for (const auto& s : report->skipped) skipped += s + "\n";
  EXPECT_NE(skipped.find("account_search"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("schema_migrations"), std::string::npos) << skipped;

  auto lease = target->acquire();
  auto row = lease.query("SELECT display_name, phone, password_is_temporary, last_sign_in_at FROM accounts WHERE id = 7");
  ASSERT_TRUE(row && row->step().value());
  EXPECT_EQ(row->text(0), "Hélène « l’Ouvrière » O'Brien");
  EXPECT_TRUE(row->is_null(1));
  EXPECT_EQ(row->int64(2), 1);
  EXPECT_TRUE(row->is_null(3));
  auto step = lease.query("SELECT last_step FROM totp_credentials WHERE account_id = 1");
  ASSERT_TRUE(step && step->step().value());
  EXPECT_EQ(step->int64(0), 1099511627776);

  // New rows get fresh ids past the copied ones.
  auto fresh = lease.query("INSERT INTO accounts (identifier, email, created_at, updated_at)"
                           " VALUES ('nouveau', 'n@example.org', 1, 1) RETURNING id");
  ASSERT_TRUE(fresh) << fresh.error().detail;
  ASSERT_TRUE(fresh->step().value());
  EXPECT_EQ(fresh->int64(0), 8);
  auto audit = lease.query("INSERT INTO audit_events (at, event) VALUES (1, 'x') RETURNING id");
  ASSERT_TRUE(audit && audit->step().value());
  EXPECT_EQ(audit->int64(0), 10);
  auto request = lease.query("INSERT INTO assistance_requests (created_at, target_text, message)"
                             " VALUES (1, 'x', 'y') RETURNING id");
  ASSERT_TRUE(request && request->step().value());
  EXPECT_EQ(request->int64(0), 13);
  // PostgreSQL's own search index (migrations/postgres/0002) is not copied
  // but kept by its trigger: the copied accounts are found in the console.
  EXPECT_NE(std::find(report->target_only.begin(), report->target_only.end(), "account_search"),
            report->target_only.end());
  auto found = lease.query("SELECT count(*) FROM account_search WHERE words LIKE '% helene %'");
  ASSERT_TRUE(found && found->step().value());
  EXPECT_EQ(found->int64(0), 1);
  bool accounts_reset = false;
  for (const auto& i : report->identities) accounts_reset = accounts_reset || (i.column == "accounts.id" && i.next == 8);
  EXPECT_TRUE(accounts_reset);
}

TEST_F(DbCopy, ASecondRunSaysAlreadyCopiedAndWritesNothing) {
  make_source();
  auto target = make_target();
  ASSERT_EQ(storage::copy::copy_database(*source_, *target).value().outcome, CopyOutcome::Copied);
  auto again = storage::copy::copy_database(*source_, *target);
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_EQ(again->outcome, CopyOutcome::AlreadyCopied);
  EXPECT_EQ(again->target_migrations, 0);
  for (const auto& t : again->tables) EXPECT_TRUE(t.ok()) << t.source.table;
  EXPECT_EQ(count(*target, "accounts"), 2);
  EXPECT_EQ(count(*target, "sessions"), 2);
}

TEST_F(DbCopy, RefusesATargetHoldingOtherData) {
  make_source();
  auto target = make_target();
  ASSERT_TRUE(target->migrate(storage::postgres_migrations()));
  ASSERT_TRUE(target->acquire().run("INSERT INTO rate_limits (key, window_start, count) VALUES ('other', 1, 1)"));
  auto refused = storage::copy::copy_database(*source_, *target);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
  EXPECT_NE(refused.error().detail.find("not empty"), std::string::npos) << refused.error().detail;
  EXPECT_NE(refused.error().detail.find("rate_limits"), std::string::npos) << refused.error().detail;
  EXPECT_EQ(count(*target, "accounts"), 0);
  EXPECT_EQ(count(*target, "rate_limits"), 1);
}

// Another application's database, named by mistake, is not even migrated.
TEST_F(DbCopy, RefusesAnotherApplicationsDatabaseWithoutTouchingIt) {
  make_source();
  auto target = make_target();
  ASSERT_TRUE(target->acquire().exec("CREATE TABLE invoices (id BIGINT PRIMARY KEY, total BIGINT);"
                                     " INSERT INTO invoices VALUES (1, 100)"));
  auto refused = storage::copy::copy_database(*source_, *target);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
  EXPECT_NE(refused.error().detail.find("not empty (invoices)"), std::string::npos) << refused.error().detail;
  EXPECT_EQ(count(*target, "information_schema.tables WHERE table_schema = current_schema()"), 1);
}

// Same counts, one value changed: the checksum, not the count, tells.
TEST_F(DbCopy, RefusesACopyChangedSinceAsNotTheSame) {
  make_source();
  auto target = make_target();
  ASSERT_EQ(storage::copy::copy_database(*source_, *target).value().outcome, CopyOutcome::Copied);
  ASSERT_EQ(target->acquire().run("UPDATE flows SET attempts = 3 WHERE id_hash = 'f1'").value(), 1);
  auto refused = storage::copy::copy_database(*source_, *target);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
  EXPECT_NE(refused.error().detail.find("flows"), std::string::npos) << refused.error().detail;
  EXPECT_EQ(refused.error().detail.find("accounts"), std::string::npos) << refused.error().detail;
}

TEST_F(DbCopy, RefusesAColumnOnOneSideOnlyNamingIt) {
  make_source();
  auto target = make_target();
  ASSERT_TRUE(target->migrate(storage::postgres_migrations()));
  ASSERT_TRUE(target->acquire().exec("ALTER TABLE outbox ADD COLUMN priority INTEGER;"
                                     " ALTER TABLE flows DROP COLUMN data"));
  auto refused = storage::copy::copy_database(*source_, *target);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(refused.error().detail.find("outbox.priority exists in the target only"), std::string::npos)
      << refused.error().detail;
  EXPECT_NE(refused.error().detail.find("flows.data exists in the source only"), std::string::npos)
      << refused.error().detail;
  EXPECT_EQ(count(*target, "accounts"), 0);
}

TEST_F(DbCopy, RefusesAnOutdatedSourceBeforeTouchingTheTarget) {
  auto older = storage::migrations();
  const std::string last = older.back().name;
  older.pop_back();
  make_source(older);
  auto target = make_target();
  auto refused = storage::copy::copy_database(*source_, *target);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(refused.error().detail.find("portier migrate"), std::string::npos) << refused.error().detail;
  EXPECT_NE(refused.error().detail.find(last), std::string::npos) << refused.error().detail;
  auto lease = target->acquire();
  auto tables = lease.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()");
  ASSERT_TRUE(tables && tables->step().value());
  EXPECT_EQ(tables->int64(0), 0) << "the target was not migrated";
}

// A target that changes what it is given (here a trigger) fails the
// read-back: nothing is committed.
TEST_F(DbCopy, AReadBackThatDiffersRollsEverythingBack) {
  make_source();
  auto target = make_target();
  ASSERT_TRUE(target->migrate(storage::postgres_migrations()));
  ASSERT_TRUE(target->acquire().exec(
      "CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$"
      " BEGIN NEW.attempts := NEW.attempts + 1; RETURN NEW; END $$;"
      " CREATE TRIGGER bump BEFORE INSERT ON flows FOR EACH ROW EXECUTE FUNCTION bump()"));
  auto report = storage::copy::copy_database(*source_, *target);
  ASSERT_TRUE(report) << report.error().detail;
  EXPECT_EQ(report->outcome, CopyOutcome::Mismatch);
  for (const auto& t : report->tables) EXPECT_EQ(t.ok(), t.source.table != "flows") << t.source.table;
  EXPECT_EQ(count(*target, "accounts"), 0);
  EXPECT_EQ(count(*target, "flows"), 0);
  EXPECT_TRUE(report->identities.empty());
  auto lease = target->acquire();
  auto next = lease.query("INSERT INTO accounts (identifier, email, created_at, updated_at)"
                          " VALUES ('premier', 'p@example.org', 1, 1) RETURNING id");
  ASSERT_TRUE(next && next->step().value());
  EXPECT_EQ(next->int64(0), 1) << "the sequences were left as they were";
}

// More rows than one INSERT and one cursor page carry; text keys whose order
// differs between byte order and a linguistic collation (ICU's, which
// Debian's PostgreSQL has).
TEST_F(DbCopy, CopiesManyRowsInBatchesFromAReadOnlySource) {
  make_source();
  {
    auto lease = writer_->acquire();
    ASSERT_TRUE(lease.exec(
        "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 4599)"
        " INSERT INTO audit_events (id, at, event, actor_id, detail) SELECT i, 1700000000 + i, 'bulk', i % 7, "
        " 'ligne ' || i FROM n;"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2100)"
        " INSERT INTO rate_limits (key, window_start, count)"
        " SELECT CASE i % 4 WHEN 0 THEN 'Z' WHEN 1 THEN 'a' WHEN 2 THEN 'é' ELSE '_' END || i, i, i FROM n;"));
  }
  // The source is opened read-only: the copy cannot change it.
  EXPECT_FALSE(source_->acquire().run("DELETE FROM rate_limits"));
  auto target = make_target();
  // A linguistic collation on the target's key ("a" before "Z", as in a
  // server created in fr_FR.UTF-8): the checksums must not depend on it.
  ASSERT_TRUE(target->migrate(storage::postgres_migrations()));
  ASSERT_TRUE(target->acquire().exec("ALTER TABLE rate_limits ALTER COLUMN key TYPE TEXT COLLATE \"und-x-icu\""));
  auto report = storage::copy::copy_database(*source_, *target);
  ASSERT_TRUE(report) << report.error().detail;
  ASSERT_EQ(report->outcome, CopyOutcome::Copied);
  for (const auto& t : report->tables) EXPECT_TRUE(t.ok()) << t.source.table;
  EXPECT_EQ(count(*target, "audit_events"), 4502);
  EXPECT_EQ(count(*target, "rate_limits"), 2101);
}

// A server writing while the copy runs: each of its transactions (an account
// and its session) is wholly in the copy or wholly out, never half (a
// session without its account would not even insert on PostgreSQL).
TEST_F(DbCopy, ARunningServersWritesAreWhollyInOrOut) {
  make_source();
  ASSERT_TRUE(writer_->acquire().exec(
      "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 20099)"
      " INSERT INTO accounts (id, identifier, email, created_at, updated_at)"
      " SELECT i, 'bulk' || i, 'bulk' || i || '@example.org', i, i FROM n"));
  std::atomic<bool> copying{true};
  std::atomic<int> written{0};
  std::thread server([&] {
    auto lease = writer_->acquire();
    for (int i = 0; copying; ++i) {
      auto done = storage::sql::transaction(lease, [&]() -> Result<int> {
        auto id = lease.query("INSERT INTO accounts (identifier, email, created_at, updated_at)"
                              " VALUES (?1, 'w@example.org', 1, 1) RETURNING id",
                              "live" + std::to_string(i));
        if (!id) return tl::unexpected(id.error());
        if (auto row = id->step(); !row) return tl::unexpected(row.error());
        return lease.run("INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, expires_at, sid)"
                         " VALUES (?1, ?2, 1, 1, 1, ?1)",
                         "live" + std::to_string(i), id->int64(0));
      });
      if (done) ++written;
      else if (i < 3) ADD_FAILURE() << done.error().detail;
    }
  });
  auto target = make_target();
  for (int spin = 0; written == 0 && spin < 5000; ++spin) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_GT(written, 0) << "the server thread writes";
  const int before = written;
  auto report = storage::copy::copy_database(*source_, *target);
  const int during = written - before;
  copying = false;
  server.join();
  ASSERT_TRUE(report) << report.error().detail;
  ASSERT_EQ(report->outcome, CopyOutcome::Copied);
  EXPECT_GT(during, 0) << "the server wrote while the copy ran";
  const std::int64_t pairs = count(*target, "accounts a JOIN sessions s ON s.account_id = a.id"
                                             " WHERE a.identifier LIKE 'live%'");
  EXPECT_GT(pairs, 0) << "writes made before the copy began are in it";
  EXPECT_EQ(pairs, count(*target, "accounts") - 2 - 20000);
  EXPECT_EQ(pairs, count(*target, "sessions") - 2);
  EXPECT_LT(count(*target, "accounts"), count(*writer_, "accounts")) << "later writes are not in this copy";
}

// A file in rollback-journal mode (a backup, a file copied by hand) opens
// read-only as well as a live WAL one.
TEST_F(DbCopy, CopiesAFileInRollbackJournalMode) {
  make_source();
  source_.reset();
  ASSERT_TRUE(writer_->acquire().exec("PRAGMA journal_mode = DELETE"));
  writer_.reset();
  ASSERT_FALSE(std::filesystem::exists(path_ + "-wal"));
  source_ = storage::copy::open_source(path_).value();
  auto target = make_target();
  auto report = storage::copy::copy_database(*source_, *target);
  ASSERT_TRUE(report) << report.error().detail;
  EXPECT_EQ(report->outcome, CopyOutcome::Copied);
  EXPECT_FALSE(std::filesystem::exists(path_ + "-wal")) << "nothing written beside the file";
}

TEST_F(DbCopy, AMissingSourceFileIsNotCreated) {
  auto opened = storage::copy::open_source(path_);
  ASSERT_FALSE(opened);
  EXPECT_FALSE(std::filesystem::exists(path_));
}

}  // namespace
}  // namespace portier::contract
