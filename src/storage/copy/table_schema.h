#pragma once
// The tables of a database as `portier db copy` sees them, read from the
// database itself (SQLite: sqlite_master and pragma_table_info; PostgreSQL:
// information_schema), so that a later migration needs no change to the copy.
#include <string>
#include <vector>

#include "common/result.h"
#include "storage/sql/connection.h"

namespace portier::storage::copy {

// What a column holds, as far as copying is concerned. Times and booleans
// are integers in both dialects (param.h); a type outside these two (REAL,
// BLOB) is refused rather than copied approximately.
enum class ColumnKind { Integer, Text, Other };

struct Column {
  std::string name;
  std::string declared_type;  // as the schema spells it ("BIGINT", "text")
  ColumnKind kind = ColumnKind::Other;
};

struct Table {
  std::string name;
  std::vector<Column> columns;              // in the table's own order
  std::vector<std::string> primary_key;     // SQLite side only (the copy orders rows by it)
  std::vector<std::string> references;      // tables its foreign keys point to (SQLite side only)
};

struct Schema {
  std::vector<Table> tables;                // the data tables, by name
  std::vector<std::string> skipped;         // the backend's own tables, never copied, with why

  const Table* find(const std::string& name) const;
};

/// Reads the data tables of the database behind `lease`. Skipped, never
/// copied: schema_migrations (each side has its own), SQLite's internal
/// tables (sqlite_*), and virtual tables with their shadow tables (the
/// FTS5 index account_search*, which triggers rebuild from accounts).
Result<Schema> read_schema(sql::Lease& lease);

/// Every difference that would make a copy lose or invent data: a source
/// table missing from the target, a column on one side only, a column whose
/// kinds differ. Each problem names table.column; empty when they match.
/// Tables that only the target has are not problems (a backend may keep
/// its own, e.g. a search index): see target_only().
std::vector<std::string> compare_schemas(const Schema& source, const Schema& target);
std::vector<std::string> target_only(const Schema& source, const Schema& target);

/// The tables in an order that satisfies their foreign keys (a table after
/// those it references; self-references ignored). Fails on a cycle.
Result<std::vector<const Table*>> dependency_order(const Schema& schema);

/// "name" for SQL text: both dialects read double-quoted identifiers.
std::string quote_identifier(const std::string& name);

}  // namespace portier::storage::copy
