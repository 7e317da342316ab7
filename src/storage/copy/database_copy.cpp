#include "storage/copy/database_copy.h"

#include <algorithm>
#include <set>

#include "storage/migrations.h"

namespace portier::storage::copy {

namespace {

const std::vector<Migration>& migrations_for(const sql::Dialect& dialect) {
  return dialect.backend() == sql::Backend::Postgres ? postgres_migrations() : migrations();
}

// One consistent view of the database for the whole copy. SQLite: a
// deferred read transaction, whose WAL snapshot is taken by the first read
// (which follows at once) and kept until the end; writers go on meanwhile.
Result<void> begin_snapshot(sql::Lease& lease) {
  if (lease.dialect().backend() == sql::Backend::Postgres)
    return lease.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  return lease.exec("BEGIN");
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The target's tables holding at least one row (schema_migrations aside).
Result<std::vector<std::string>> tables_with_rows(sql::Database& target) {
  auto lease = target.acquire();
  auto schema = read_schema(lease);
  if (!schema) return tl::unexpected(schema.error());
  std::vector<std::string> out;
  for (const auto& t : schema->tables) {
    auto empty = is_empty(lease, t.name);
    if (!empty) return tl::unexpected(empty.error());
    if (!*empty) out.push_back(t.name);
  }
  return out;
}

Result<void> check_source_migrations(sql::Lease& lease) {
  auto recorded = sql::read_rows(lease.query("SELECT name FROM schema_migrations"),
                                 [](const sql::Statement& s) { return s.text(0); });
  if (!recorded)
    return fail(ErrorCode::InvalidInput,
                "the source has no readable schema_migrations table: is it a portier database? (" +
                    recorded.error().detail + ")");
  std::set<std::string> have(recorded->begin(), recorded->end());
  std::set<std::string> known;
  std::vector<std::string> missing;
  for (const auto& m : migrations_for(lease.dialect())) {
    known.insert(m.name);
    if (!have.count(m.name)) missing.push_back(m.name);
  }
  std::vector<std::string> unknown;
  for (const auto& name : have)
    if (!known.count(name)) unknown.push_back(name);
  if (!missing.empty())
    return fail(ErrorCode::InvalidInput,
                "the source database is not up to date (missing migration(s) " + join(missing) +
                    "): stop its server, run `portier migrate` on it with its own configuration and this version of "
                    "portier, then copy again");
  if (!unknown.empty())
    return fail(ErrorCode::InvalidInput, "the source database has migration(s) this portier does not know (" +
                                             join(unknown) + "): it was written by a newer version; use that version");
  return {};
}

// Locks the target's tables against writers for the copy (PostgreSQL; SQLite's
// BEGIN IMMEDIATE already holds its single write lock). SHARE ROW EXCLUSIVE
// conflicts with itself, so two copies into one database run one after the other.
Result<void> lock_tables(sql::Lease& lease, const Schema& target) {
  if (lease.dialect().backend() != sql::Backend::Postgres || target.tables.empty()) return {};
  std::string names;
  for (const auto& t : target.tables) names += (names.empty() ? "" : ", ") + quote_identifier(t.name);
  return lease.exec("LOCK TABLE " + names + " IN SHARE ROW EXCLUSIVE MODE");
}

// The target is not empty: either it already holds the source (a second
// run, or a copy finished earlier) or it is someone else's data.
Result<CopyReport> compare_existing(sql::Lease& from, sql::Lease& to, const std::vector<const Table*>& order,
                                    CopyReport report) {
  if (auto begun = begin_snapshot(to); !begun) return tl::unexpected(begun.error());
  std::vector<std::string> differing;
  for (const Table* table : order) {
    auto source = summarize(from, *table);
    if (!source) return tl::unexpected(source.error());
    auto target = summarize(to, *table);
    if (!target) return tl::unexpected(target.error());
    if (!(*source == *target))
      differing.push_back(table->name + " (source " + std::to_string(source->rows) + " row(s), target " +
                          std::to_string(target->rows) + ")");
    report.tables.push_back(TableCheck{std::move(*source), std::move(*target)});
  }
  to.connection().rollback();
  if (!differing.empty()) {
    return fail(ErrorCode::Conflict,
                "the target database is not empty and does not hold what the source holds; differing: " +
                    join(differing) +
                    ". Nothing was written: copy into an empty database");
  }
  report.outcome = CopyOutcome::AlreadyCopied;
  return report;
}

}  // namespace

Result<CopyReport> copy_database(sql::Database& source, sql::Database& target) {
  CopyReport report;
  auto from = source.acquire();
  if (auto begun = begin_snapshot(from); !begun) return tl::unexpected(begun.error());
  // The source is judged before the target is touched.
  if (auto current = check_source_migrations(from); !current) return tl::unexpected(current.error());
  auto source_schema = read_schema(from);
  if (!source_schema) return tl::unexpected(source_schema.error());
  report.skipped = source_schema->skipped;
  auto order = dependency_order(*source_schema);
  if (!order) return tl::unexpected(order.error());

  // A target already holding data is never migrated: it may be another
  // application's database, named by mistake, which must stay as it was.
  auto held = tables_with_rows(target);
  if (!held) return tl::unexpected(held.error());
  if (held->empty()) {
    auto applied = target.migrate(migrations_for(target.dialect()));
    if (!applied) return fail(applied.error().code, "migrating the target: " + applied.error().detail);
    report.target_migrations = *applied;
  }

  auto to = target.acquire();
  auto target_schema = read_schema(to);
  if (!target_schema) return tl::unexpected(target_schema.error());
  auto problems = compare_schemas(*source_schema, *target_schema);
  if (!problems.empty()) {
    std::string text = held->empty() ? "the source and target schemas differ, nothing was copied:"
                                     : "the target database is not empty (" + join(*held) +
                                           ") and is not a copy of this source; nothing was written:";
    for (const auto& p : problems) text += "\n  - " + p;
    return fail(held->empty() ? ErrorCode::InvalidInput : ErrorCode::Conflict, text);
  }
  report.target_only = target_only(*source_schema, *target_schema);

  bool mismatch = false;
  auto copied = sql::transaction(to, [&]() -> Result<bool> {
    report.tables.clear();
    mismatch = false;
    if (auto locked = lock_tables(to, *target_schema); !locked) return tl::unexpected(locked.error());
    for (const auto& t : target_schema->tables) {
      auto empty = is_empty(to, t.name);
      if (!empty) return tl::unexpected(empty.error());
      if (!*empty) return false;  // committed with nothing written; compared below
    }
    for (const Table* table : *order) {
      auto summary = copy_rows(from, to, *table);
      if (!summary) return tl::unexpected(summary.error());
      report.tables.push_back(TableCheck{std::move(*summary), {}});
    }
    // Read back inside the transaction: what would be committed is what is
    // checked, and a difference leaves the target as it was.
    for (std::size_t i = 0; i < order->size(); ++i) {
      auto summary = summarize(to, *(*order)[i]);
      if (!summary) return tl::unexpected(summary.error());
      report.tables[i].target = std::move(*summary);
      mismatch = mismatch || !report.tables[i].ok();
    }
    if (mismatch) return fail(ErrorCode::Internal, "checksum mismatch");
    // Last: setval() is not undone by a rollback, so sequences move only
    // once the rows they follow are known good.
    auto identities = reset_identities(to);
    if (!identities) return tl::unexpected(identities.error());
    report.identities = std::move(*identities);
    return true;
  });
  if (mismatch) {
    report.outcome = CopyOutcome::Mismatch;
    return report;
  }
  if (!copied) return tl::unexpected(copied.error());
  if (!*copied) return compare_existing(from, to, *order, std::move(report));
  report.outcome = CopyOutcome::Copied;
  return report;
}

}  // namespace portier::storage::copy
