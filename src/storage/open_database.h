#pragma once
// Opens the configured backend and applies its dialect's migrations: the one
// place that knows which driver a configuration asks for.
#include <chrono>
#include <memory>
#include <string>

#include "common/result.h"
#include "storage/sql/database.h"

namespace portier::storage {

struct DatabaseSettings {
  sql::Backend backend = sql::Backend::Sqlite;
  std::string sqlite_path;   // SQLite: the file (":memory:" for tests)
  std::string postgres_url;  // PostgreSQL: libpq connection string or URI
  int pool_size = 4;
  std::chrono::milliseconds statement_timeout{5000};
};

Result<std::shared_ptr<sql::Database>> open_database(const DatabaseSettings& settings);

/// Applies the migrations of `db`'s dialect not yet applied; how many.
Result<int> migrate_database(sql::Database& db);

/// `url` without its password (for logs and messages): "postgresql://u:secret@h/db"
/// gives "postgresql://u:***@h/db", "host=h password=secret" gives "host=h password=***".
std::string redact_database_url(std::string_view url);

}  // namespace portier::storage
