#pragma once
// The storage layer's backends for the contract tier: SQLite in memory
// always; PostgreSQL when PORTIER_TEST_PG_DSN names a server
// (scripts/with-postgres.sh starts a throwaway one). Each open() gives a
// fresh, empty namespace: a private memory database, or a new schema.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/sql/database.h"

namespace portier::contract {

struct SqlBackend {
  std::string name;
  std::function<std::shared_ptr<storage::sql::Database>(int pool_size)> open;
};

std::vector<SqlBackend> sql_backends();

inline void PrintTo(const SqlBackend& backend, std::ostream* os) { *os << backend.name; }

inline std::string sql_backend_name(const ::testing::TestParamInfo<SqlBackend>& info) { return info.param.name; }

/// PostgreSQL only: the connection string of a fresh schema (search_path set
/// to it), for tests that open several pools on one namespace.
std::string fresh_postgres_schema();

}  // namespace portier::contract
