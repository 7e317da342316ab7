#pragma once
// `portier db copy`: moves every row of one portier database into another
// (in practice an SQLite file into PostgreSQL), keeping ids, in one
// transaction on the target, and proves it table by table before committing.
// Backend-neutral: it reads both schemas from the databases themselves and
// knows none of the stores.
#include <string>
#include <vector>

#include "common/result.h"
#include "storage/copy/table_copy.h"
#include "storage/sql/database.h"

namespace portier::storage::copy {

struct TableCheck {
  TableSummary source;
  TableSummary target;
  bool ok() const { return source == target; }
};

enum class CopyOutcome {
  Copied,         // the target was empty; every table copied and verified, committed
  AlreadyCopied,  // the target already held exactly what the source holds: nothing done
  Mismatch,       // a table read back differently: rolled back, the target is as it was
};

struct CopyReport {
  CopyOutcome outcome = CopyOutcome::Copied;
  std::vector<TableCheck> tables;          // in copy (foreign-key) order
  std::vector<std::string> skipped;        // source tables never copied, with why
  std::vector<std::string> target_only;    // tables only the target has, left as they are
  std::vector<IdentityReset> identities;   // sequences moved past the copied ids
  int target_migrations = 0;               // migrations applied to the target first
};

/// Copies `source` into `target`:
/// - refuses (InvalidInput) a source whose schema_migrations is not exactly
///   the migrations this portier knows for its backend (older: run
///   `portier migrate` on it first; newer: use the newer portier), and two
///   schemas that differ (each problem names table.column);
/// - applies the target backend's migrations to the target, unless it
///   already holds rows (then it is compared as it is, never changed);
/// - refuses (Conflict) a target holding any row in a data table, unless
///   every table's count and checksum already equal the source's: then
///   AlreadyCopied, and nothing is written;
/// - otherwise copies in foreign-key order in one target transaction, with
///   the target's tables locked against writers, moves identity sequences
///   past the copied ids, reads every table back and commits only when all
///   checksums match (Mismatch, rolled back, otherwise).
/// The source is read in one read transaction: a server writing to it during
/// the copy has each of its writes wholly in the copy or wholly out.
Result<CopyReport> copy_database(sql::Database& source, sql::Database& target);

}  // namespace portier::storage::copy
