#pragma once
// The CSV of a member import read and checked line by line, without a
// database: what AccountImport (admin/account_import.h) does before it writes
// anything, kept apart so that it can be fuzzed alone (tests/fuzz). Never
// writes; asks `is_taken` about each new identifier.
//
// Files as offices produce them (admin/csv_text.h): UTF-8 with or without a
// byte-order mark, or Windows-1252; ";", "," or tab separators; French or
// English headers in any order, unknown columns ignored (kHeaderNames below).
// Only the email column is required; without an identifier column each
// member gets one made from their name ("claire.martin", then
// "claire.martin2"...) or, without a name, from their address.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "account/account.h"
#include "common/result.h"

namespace portier {

// The columns an import understands, in the order the preview shows them.
enum class ImportField { Identifier, Email, LastName, FirstName, Name, Mobile, Rpps };
inline constexpr int kImportFieldCount = 7;
const char* to_string(ImportField f);  // "identifier", "email", "last_name", ...

// What a header cell means, once folded (admin/csv_text.h fold_header):
// "nom" and "last name" are LastName, "adresse e mail" and "email" Email...
// nullopt for a column the import ignores.
std::optional<ImportField> field_of_header(std::string_view folded);

struct ImportProblem {
  int line = 0;          // 1-based line of the file where the record starts
  std::string code;      // "identifier_invalid", "identifier_duplicate", "identifier_taken", "email_invalid",
                         // "mobile_invalid", "rpps_invalid", "name_invalid", "columns", "quote", "encoding",
                         // "header", "empty", "too_many_lines"
  std::string message;   // English, for the command line and logs
  std::string field;     // the column at fault ("email", ...), empty for the whole line or file
};

// One member line as read, for the console's preview: each cell as typed,
// the problems of the line (by field), and the account it makes when valid.
struct ImportRow {
  int line = 0;
  std::vector<std::string> cells;  // kImportFieldCount, by ImportField; empty for a column the file lacks
  bool valid = false;
  std::size_t account = 0;         // index in ImportReport::accounts when valid
};

struct ImportReport {
  std::vector<Account> accounts;  // valid lines, normalised; as stored once applied
  std::vector<ImportProblem> problems;
  std::vector<ImportRow> rows;    // every member line read, in file order
  std::vector<bool> columns;      // kImportFieldCount: which the file has
  std::vector<std::string> ignored_columns;  // header cells the import does not use
  std::string encoding;           // "utf-8" or "windows-1252"
  char separator = ',';
  bool identifiers_made = false;  // no identifier column: made from the names
  bool applied = false;
  int invitations_queued = 0;
  std::vector<std::string> invitation_failures;  // identifiers whose invitation could not be queued
  bool ok() const { return problems.empty(); }
};

struct ImportSettings {
  std::string phone_default_country = "+33";
  std::string lang = "fr";  // of the invitations: the portal's default language
  std::size_t max_lines = 10000;
};

// "Claire Martin-Durand" -> "claire.martin-durand": the start of an
// identifier made from a name, in [a-z0-9.-], at most 60 characters (room for
// a number after it: "claire.martin-durand2"). New accounts' identifiers are
// made this way (the import, accounts created from Pro Santé Connect).
std::string identifier_base(std::string_view text);

// One CSV record with the line it starts on. Exposed for tests.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
  bool unterminated_quote = false;  // the file ended inside a quoted field
  bool stray_quote = false;         // a quote inside an unquoted field, or text after a closing quote
};
// RFC 4180 with `separator` for ','; a leading UTF-8 BOM is skipped.
std::vector<CsvRecord> parse_csv(std::string_view text, char separator = ',');

// true when a (normalised) identifier already belongs to an account; an error
// when the database cannot say.
using IdentifierTaken = std::function<Result<bool>(const std::string& identifier)>;

// Every problem of the file, and the accounts its good lines describe.
// `bytes` as uploaded or pasted (any of the encodings above). Fails only when
// `is_taken` does.
Result<ImportReport> check_import_lines(std::string_view bytes, const ImportSettings& settings,
                                        const IdentifierTaken& is_taken);

}  // namespace portier
