#include "contract/sql_backends.h"

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

#include "storage/sql/postgres_driver.h"
#include "storage/sql/sqlite_driver.h"

namespace portier::contract {

std::string fresh_postgres_schema() {
  const char* dsn = std::getenv("PORTIER_TEST_PG_DSN");
  if (!dsn) throw std::runtime_error("PORTIER_TEST_PG_DSN is not set");
  static std::atomic<int> counter{0};
  std::string schema = "t" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  auto admin = storage::sql::open_postgres({dsn, 1});
  if (!admin) throw std::runtime_error("PostgreSQL: " + admin.error().detail);
  auto lease = (*admin)->acquire();
  if (auto made = lease.exec("CREATE SCHEMA " + schema); !made) throw std::runtime_error(made.error().detail);
  return std::string(dsn) + " options='-c search_path=" + schema + "'";
}

std::vector<SqlBackend> sql_backends() {
  std::vector<SqlBackend> all{{"Sqlite", [](int pool) {
                                 auto db = storage::sql::open_sqlite(":memory:", pool);
                                 if (!db) throw std::runtime_error(db.error().detail);
                                 return *db;
                               }}};
  if (std::getenv("PORTIER_TEST_PG_DSN")) {
    all.push_back({"Postgres", [](int pool) {
                     auto db = storage::sql::open_postgres({fresh_postgres_schema(), pool});
                     if (!db) throw std::runtime_error(db.error().detail);
                     return *db;
                   }});
  }
  return all;
}

}  // namespace portier::contract
