#pragma once
// The SQLite driver of the storage layer: the embedded default (`make run`),
// one file in WAL mode with synchronous=FULL.
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "storage/sql/database.h"

struct sqlite3;

namespace portier::storage::sql {

/// Opens a pool of `pool_size` connections to the SQLite file at `path`
/// (WAL, synchronous=FULL, foreign_keys=ON, busy_timeout=5000). ":memory:"
/// gives a private in-memory database shared by the pool (for tests).
Result<std::shared_ptr<Database>> open_sqlite(const std::string& path, int pool_size = 4);

/// Maps an SQLite result code to ErrorCode: BUSY, LOCKED, CANTOPEN, IOERR and
/// FULL are Unavailable (retry later), a UNIQUE or PRIMARY KEY violation is
/// Conflict, anything else Internal.
Error sqlite_error(sqlite3* db, int rc, std::string_view what);

/// One configured connection to `uri`; the first connection of a file turns
/// WAL on (a property of the file). The caller owns it (sqlite3_close_v2).
Result<sqlite3*> open_sqlite_connection(const std::string& uri, bool first, bool memory);
/// A fresh name for a private in-memory database shared by one pool.
std::string sqlite_memory_uri();


}  // namespace portier::storage::sql
