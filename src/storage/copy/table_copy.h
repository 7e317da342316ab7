#pragma once
// Copying one table's rows between two databases of the storage layer, and
// the checksum that proves a copy: backend-neutral on sql::Lease, so the
// source and the target are read by the same code and hashed the same way.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "storage/copy/table_schema.h"
#include "storage/sql/connection.h"

namespace portier::storage::copy {

/// A table's content in two figures: its row count and a SHA-256 (hex) over
/// its rows in primary-key order, each value rendered as its text ("~" for
/// NULL, else length ":" bytes). Integers render as decimal on both sides,
/// so a BIGINT read from PostgreSQL and an INTEGER read from SQLite agree.
struct TableSummary {
  std::string table;
  std::int64_t rows = 0;
  std::string checksum;

  bool operator==(const TableSummary&) const = default;
};

/// Calls `on_row` for every row of `table` (its columns in schema order),
/// ordered by its primary key (all columns without one), text compared
/// byte-wise on both sides (SQLite BINARY, PostgreSQL "C"), whatever the
/// server's collation. On PostgreSQL the rows come through a cursor, a page
/// at a time, so `lease` must be inside a transaction there.
Result<void> scan_rows(sql::Lease& lease, const Table& table,
                       const std::function<Result<void>(const sql::Statement&)>& on_row);

/// The TableSummary of `table` as `lease` sees it.
Result<TableSummary> summarize(sql::Lease& lease, const Table& table);

/// Copies every row of `table` from `from` into `to` (ids and every other
/// value as they are), in multi-row INSERTs of a few hundred rows, and
/// returns the source's summary computed from the rows as they were read.
Result<TableSummary> copy_rows(sql::Lease& from, sql::Lease& to, const Table& table);

/// true when `table` has no row.
Result<bool> is_empty(sql::Lease& lease, const std::string& table);

struct IdentityReset {
  std::string column;  // table.column
  std::int64_t next = 0;
};

/// PostgreSQL: moves each identity (or serial) sequence of the current
/// schema past the highest id its column holds, so that the next insert
/// does not collide with a copied row. SQLite needs nothing (an INTEGER
/// PRIMARY KEY takes max(id) + 1): returns an empty list.
Result<std::vector<IdentityReset>> reset_identities(sql::Lease& lease);

}  // namespace portier::storage::copy
