#pragma once
// What differs between the two SQL dialects portier speaks, kept small on
// purpose: stores write one statement text and ask the dialect only for the
// few fragments that cannot be written the same way. Everything else is the
// common subset of SQLite 3.40 and PostgreSQL 15: `ON CONFLICT … DO UPDATE`,
// `RETURNING`, `lower()` for case-insensitive matches (with an index on the
// expression), BIGINT Unix seconds for times, 0/1 integers for booleans.
#include <string>
#include <string_view>

namespace portier::storage::sql {

enum class Backend { Sqlite, Postgres };

class Dialect {
public:
  explicit Dialect(Backend backend) : backend_(backend) {}
  Backend backend() const { return backend_; }
  const char* name() const { return backend_ == Backend::Sqlite ? "sqlite" : "postgres"; }

  /// Appended to a SELECT that claims rows for this node (the outbox): rows
  /// another node holds are skipped rather than waited for. SQLite has one
  /// writer, whose transaction already excludes the others: nothing to add.
  const char* skip_locked() const { return backend_ == Backend::Postgres ? " FOR UPDATE SKIP LOCKED" : ""; }
  /// Appended to a SELECT whose row the transaction will then update
  /// (read-decide-write): the row stays locked until COMMIT.
  const char* for_update() const { return backend_ == Backend::Postgres ? " FOR UPDATE" : ""; }

  /// Held on one connection while migrations are applied, so that nodes
  /// starting together apply each migration once (empty for SQLite, whose
  /// migration transactions take the file's write lock).
  const char* schema_lock() const {
    return backend_ == Backend::Postgres ? "SELECT pg_advisory_lock(7420417)" : "";
  }
  const char* schema_unlock() const {
    return backend_ == Backend::Postgres ? "SELECT pg_advisory_unlock(7420417)" : "";
  }

private:
  Backend backend_;
};

/// Rewrites the placeholders stores write (`?1`, `?2`, … or bare `?`, which
/// count from 1 in order) to PostgreSQL's `$1`, `$2`…, leaving text inside
/// quotes ('…', "…") and comments untouched. SQLite reads `?N` as is.
std::string to_postgres_placeholders(std::string_view sql);

}  // namespace portier::storage::sql
