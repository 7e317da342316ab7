#pragma once
// Real stores over an in-memory SQLite database, for service tests that
// need persistence without a server. Time comes from a FakeClock.
#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/random.h"
#include "storage/open_database.h"
#include "storage/sql/sqlite_driver.h"
#include "storage/stores/sql_account_store.h"
#include "storage/stores/sql_audit_store.h"
#include "storage/stores/sql_flow_store.h"
#include "storage/stores/sql_outbox_store.h"
#include "storage/stores/sql_session_store.h"

namespace portier::testing_support {

struct SqliteStores {
  FakeClock clock;
  std::shared_ptr<storage::sql::Database> db;
  std::unique_ptr<storage::SqlAccountStore> accounts;
  std::unique_ptr<storage::SqlSessionStore> sessions;
  std::unique_ptr<storage::SqlFlowStore> flows;
  std::unique_ptr<storage::SqlAuditStore> audit;
  std::unique_ptr<storage::SqlOutboxStore> outbox;

  SqliteStores() {
    auto opened = storage::sql::open_sqlite(":memory:", 2);
    if (!opened) throw std::runtime_error(opened.error().detail);
    db = *opened;
    if (auto m = storage::migrate_database(*db); !m) throw std::runtime_error(m.error().detail);
    accounts = std::make_unique<storage::SqlAccountStore>(db, clock);
    sessions = std::make_unique<storage::SqlSessionStore>(db, clock);
    flows = std::make_unique<storage::SqlFlowStore>(db);
    audit = std::make_unique<storage::SqlAuditStore>(db);
    outbox = std::make_unique<storage::SqlOutboxStore>(db);
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
