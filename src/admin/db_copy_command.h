#pragma once
// `portier db copy --from sqlite:PATH --to postgres:DSN`: the command line
// around storage/copy (database_copy.h). Needs no configuration file.
#include <iosfwd>
#include <string>

namespace portier {

struct DbCopyArgs {
  std::string from;  // "sqlite:PATH" or PATH
  std::string to;    // "postgres:DSN" or a postgresql:// URI; empty: PORTIER_DATABASE_URL
                     // (main.cpp fills it from --config's storage.postgres_url first)
};

/// Runs the copy and prints its table; returns the exit code: 0 copied (or
/// already copied), 1 refused or failed (the reason on `err`), 2 usage.
/// Never prints the password of the DSN.
int db_copy_command(const DbCopyArgs& args, std::ostream& out, std::ostream& err);

}  // namespace portier
