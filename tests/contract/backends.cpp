#include "contract/backends.h"

#include <stdexcept>

#include "storage/sqlite/database.h"
#include "storage/sqlite/sqlite_account_store.h"
#include "storage/sqlite/sqlite_assistance_store.h"
#include "storage/sqlite/sqlite_audit_store.h"
#include "storage/sqlite/sqlite_email_change_store.h"
#include "storage/sqlite/sqlite_flow_store.h"
#include "storage/sqlite/sqlite_lockout_store.h"
#include "storage/sqlite/sqlite_outbox_store.h"
#include "storage/sqlite/sqlite_rate_limit_store.h"
#include "storage/sqlite/sqlite_recovery_store.h"
#include "storage/sqlite/sqlite_robot_challenge_store.h"
#include "storage/sqlite/sqlite_session_store.h"
#include "storage/sqlite/sqlite_totp_store.h"

namespace portier::contract {

namespace {

Stores make_sqlite(const Clock& clock) {
  namespace sq = storage::sqlite;
  auto db = sq::Database::open(":memory:");
  if (!db) throw std::runtime_error("open: " + db.error().detail);
  if (auto applied = (*db)->migrate(); !applied) throw std::runtime_error("migrate: " + applied.error().detail);
  Stores s;
  s.keep_alive = *db;
  s.accounts = std::make_unique<sq::SqliteAccountStore>(*db, clock);
  s.sessions = std::make_unique<sq::SqliteSessionStore>(*db, clock);
  s.flows = std::make_unique<sq::SqliteFlowStore>(*db);
  s.audit = std::make_unique<sq::SqliteAuditStore>(*db);
  s.robot_challenges = std::make_unique<sq::SqliteRobotChallengeStore>(*db);
  s.outbox = std::make_unique<sq::SqliteOutboxStore>(*db);
  s.rate_limits = std::make_unique<sq::SqliteRateLimitStore>(*db);
  s.recovery = std::make_unique<sq::SqliteRecoveryStore>(*db);
  s.lockouts = std::make_unique<sq::SqliteLockoutStore>(*db);
  s.totp = std::make_unique<sq::SqliteTotpStore>(*db);
  s.assistance = std::make_unique<sq::SqliteAssistanceStore>(*db);
  s.email_change = std::make_unique<sq::SqliteEmailChangeStore>(*db);
  return s;
}

}  // namespace

std::vector<Backend> backends() {
  std::vector<Backend> all{{"Sqlite", make_sqlite}};
  // TODO: once storage/postgres exists, append {"Postgres", make_postgres}
  // here when std::getenv("PORTIER_TEST_PG_DSN") names a test database.
  return all;
}

}  // namespace portier::contract
