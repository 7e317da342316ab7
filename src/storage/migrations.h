#pragma once
// Versioned schema migrations, compiled into the binary from
// storage/migrations/NNNN_name.sql (see cmake/embed_migrations.cmake).
#include <vector>

namespace portier::storage {

struct Migration {
  const char* name;  // "0001_init": applied in this order, recorded once
  const char* sql;
};

const std::vector<Migration>& migrations();

}  // namespace portier::storage
