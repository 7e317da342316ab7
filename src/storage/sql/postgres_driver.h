#pragma once
// The PostgreSQL driver of the storage layer (libpq): several portier nodes
// share one database server.
#include <chrono>
#include <memory>
#include <string>

#include "common/result.h"
#include "storage/sql/database.h"

namespace portier::storage::sql {

struct PostgresOptions {
  std::string conninfo;  // a libpq connection string or URI (TLS through its sslmode, sslrootcert…)
  int pool_size = 8;
  std::chrono::milliseconds statement_timeout{5000};  // a stuck query fails rather than hold a worker
};

/// Opens a pool of connections; fails when the first cannot be opened.
Result<std::shared_ptr<Database>> open_postgres(const PostgresOptions& options);

}  // namespace portier::storage::sql
