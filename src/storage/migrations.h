#pragma once
// Versioned schema migrations, compiled into the binary from
// storage/migrations/NNNN_name.sql (see cmake/embed_migrations.cmake).
#include <vector>

namespace portier::storage {

struct Migration {
  const char* name;  // "0001_init": applied in this order, recorded once
  const char* sql;
};

// SQLite, the embedded backend: storage/migrations/NNNN_name.sql.
const std::vector<Migration>& migrations();
// PostgreSQL: storage/migrations/postgres/NNNN_name.sql (issue 11: its
// 0001 is the whole SQLite schema up to 0012 in PostgreSQL's dialect).
const std::vector<Migration>& postgres_migrations();

}  // namespace portier::storage
