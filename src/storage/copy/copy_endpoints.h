#pragma once
// The two ends of `portier db copy` as the command line names them, and how
// they are opened: the source read-only, the target for one long transaction.
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "storage/sql/database.h"

namespace portier::storage::copy {

/// `--from`: "sqlite:PATH" or a plain PATH (an SQLite file).
Result<std::string> parse_sqlite_source(std::string_view text);

/// `--to`: "postgres:DSN" (or "postgresql:DSN"), where DSN is a libpq
/// connection string ("host=… dbname=…") or URI, or a bare URI
/// ("postgresql://…", "postgres://…"). Returns the DSN given to libpq.
Result<std::string> parse_postgres_target(std::string_view text);

/// The DSN with its password replaced by "***" (a URI's user:password@ and
/// password= in a connection string or a URI's query), for messages.
std::string redact_dsn(std::string_view dsn);

/// `text` (an error message from libpq or the server) with every occurrence
/// of the DSN's password, as written and percent-decoded, replaced by "***":
/// libpq quotes pieces of a malformed connection string back.
std::string scrub_password(std::string text, std::string_view dsn);

/// Opens the SQLite file at `path` read-only, in either journal mode (it
/// must exist: a typo must not create an empty database to copy).
Result<std::shared_ptr<sql::Database>> open_source(const std::string& path);

/// Opens the PostgreSQL target, one connection, without a statement timeout
/// (the copy of a large file is one transaction of many statements, and a
/// read-back of a large table is one long cursor).
Result<std::shared_ptr<sql::Database>> open_target(const std::string& dsn);

}  // namespace portier::storage::copy
