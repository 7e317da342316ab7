#include "admin/db_copy_command.h"

#include <cstdlib>
#include <iomanip>
#include <ostream>

#include "storage/copy/copy_endpoints.h"
#include "storage/copy/database_copy.h"

namespace portier {

namespace {

using storage::copy::CopyOutcome;
using storage::copy::CopyReport;

void print_tables(const CopyReport& report, std::ostream& out) {
  std::size_t width = 5;
  for (const auto& t : report.tables) width = std::max(width, t.source.table.size());
  out << std::left << std::setw(static_cast<int>(width)) << "table" << "  " << std::right << std::setw(9) << "rows"
      << "  " << std::left << std::setw(16) << "sha-256" << "  ok\n";
  for (const auto& t : report.tables) {
    out << std::left << std::setw(static_cast<int>(width)) << t.source.table << "  " << std::right << std::setw(9)
        << t.source.rows << "  " << std::left << std::setw(16) << t.source.checksum.substr(0, 16) << "  ";
    if (t.ok()) {
      out << "ok\n";
    } else {
      out << "MISMATCH: target " << t.target.rows << " row(s), " << t.target.checksum.substr(0, 16) << "\n";
    }
  }
}

std::int64_t total_rows(const CopyReport& report) {
  std::int64_t n = 0;
  for (const auto& t : report.tables) n += t.source.rows;
  return n;
}

}  // namespace

int db_copy_command(const DbCopyArgs& args, std::ostream& out, std::ostream& err) {
  auto usage = [&](const std::string& why) {
    err << "portier db copy: " << why << "\n"
        << "usage: portier db copy --from sqlite:PATH --to postgres:DSN\n"
        << "       (DSN: a libpq connection string or a postgresql:// URI; without --to, PORTIER_DATABASE_URL\n"
        << "        or storage.postgres_url of the --config file)\n";
    return 2;
  };
  if (args.from.empty()) return usage("--from is required");
  std::string to = args.to;
  if (to.empty()) {
    const char* env = std::getenv("PORTIER_DATABASE_URL");
    if (!env || !*env) return usage("--to is required (or PORTIER_DATABASE_URL, or a --config with storage.postgres_url)");
    to = env;
    // The environment holds the bare URL or connection string.
    if (!to.starts_with("postgres")) to = "postgres:" + to;
  }
  auto path = storage::copy::parse_sqlite_source(args.from);
  if (!path) return usage(path.error().detail);
  auto dsn = storage::copy::parse_postgres_target(to);
  if (!dsn) return usage(dsn.error().detail);
  const std::string shown = storage::copy::redact_dsn(*dsn);

  auto source = storage::copy::open_source(*path);
  if (!source) {
    err << "portier db copy: cannot open the source " << *path << ": " << source.error().detail << "\n";
    return 1;
  }
  auto target = storage::copy::open_target(*dsn);
  if (!target) {
    err << "portier db copy: cannot open the target " << shown << ": "
        << storage::copy::scrub_password(target.error().detail, *dsn) << "\n";
    return 1;
  }
  out << "copying sqlite:" << *path << " into postgres:" << shown << "\n";
  auto report = storage::copy::copy_database(**source, **target);
  if (!report) {
    err << "portier db copy: " << storage::copy::scrub_password(report.error().detail, *dsn) << "\n";
    return 1;
  }
  if (report->target_migrations > 0)
    out << "target: " << report->target_migrations << " migration(s) applied\n";
  print_tables(*report, out);
  for (const auto& s : report->skipped) out << "not copied: " << s << "\n";
  for (const auto& t : report->target_only) out << "the target's own (kept by its triggers, not compared): " << t << "\n";
  switch (report->outcome) {
    case CopyOutcome::AlreadyCopied:
      out << "already copied, nothing to do: the target holds exactly what the source holds\n";
      return 0;
    case CopyOutcome::Mismatch:
      err << "portier db copy: the copy read back differently (MISMATCH above): rolled back, the target is as it "
             "was\n";
      return 1;
    case CopyOutcome::Copied:
      break;
  }
  if (!report->identities.empty()) {
    out << "next ids:";
    for (std::size_t i = 0; i < report->identities.size(); ++i)
      out << (i ? ", " : " ") << report->identities[i].column << " " << report->identities[i].next;
    out << "\n";
  }
  out << "copied and verified " << report->tables.size() << " table(s), " << total_rows(*report) << " row(s)\n";
  return 0;
}

}  // namespace portier
