#pragma once
// Real stores over an in-memory SQLite database, for service tests that
// need persistence without a server. Time comes from a FakeClock.
#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/random.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/sqlite_account_store.h"
#include "storage/sqlite/sqlite_audit_store.h"
#include "storage/sqlite/sqlite_flow_store.h"
#include "storage/sqlite/sqlite_outbox_store.h"
#include "storage/sqlite/sqlite_session_store.h"

namespace portier::testing_support {

struct SqliteStores {
  FakeClock clock;
  std::shared_ptr<storage::sqlite::Database> db;
  std::unique_ptr<storage::sqlite::SqliteAccountStore> accounts;
  std::unique_ptr<storage::sqlite::SqliteSessionStore> sessions;
  std::unique_ptr<storage::sqlite::SqliteFlowStore> flows;
  std::unique_ptr<storage::sqlite::SqliteAuditStore> audit;
  std::unique_ptr<storage::sqlite::SqliteOutboxStore> outbox;

  SqliteStores() {
    auto opened = storage::sqlite::Database::open(":memory:", 2);
    if (!opened) throw std::runtime_error(opened.error().detail);
    db = *opened;
    if (auto m = db->migrate(); !m) throw std::runtime_error(m.error().detail);
    accounts = std::make_unique<storage::sqlite::SqliteAccountStore>(db, clock);
    sessions = std::make_unique<storage::sqlite::SqliteSessionStore>(db, clock);
    flows = std::make_unique<storage::sqlite::SqliteFlowStore>(db);
    audit = std::make_unique<storage::sqlite::SqliteAuditStore>(db);
    outbox = std::make_unique<storage::sqlite::SqliteOutboxStore>(db);
  }
};

// Deterministic randomness: a counter, so tokens differ but repeat across runs.
class CountingRandom final : public Random {
public:
  void fill(unsigned char* out, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<unsigned char>(next_++ * 7 + i);
  }

private:
  unsigned next_ = 1;
};

}  // namespace portier::testing_support
