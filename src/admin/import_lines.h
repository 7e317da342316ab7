#pragma once
// The CSV of a member import read and checked line by line, without a
// database: what AccountImport (admin/account_import.h) does before it writes
// anything, kept apart so that it can be fuzzed alone (tests/fuzz). Never
// writes; asks `is_taken` about each new identifier.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "account/account.h"
#include "common/result.h"

namespace portier {

struct ImportProblem {
  int line = 0;          // 1-based line of the file where the record starts
  std::string code;      // "identifier_invalid", "identifier_duplicate", "identifier_taken", "email_invalid",
                         // "mobile_invalid", "rpps_invalid", "name_invalid", "columns", "quote", "encoding",
                         // "header", "empty", "too_many_lines"
  std::string message;   // English, for the command line and logs
};

struct ImportReport {
  std::vector<Account> accounts;  // valid lines, normalised; as stored once applied
  std::vector<ImportProblem> problems;
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

// One CSV record with the line it starts on. Exposed for tests.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
  bool unterminated_quote = false;  // the file ended inside a quoted field
  bool stray_quote = false;         // a quote inside an unquoted field, or text after a closing quote
};
std::vector<CsvRecord> parse_csv(std::string_view text);

// true when a (normalised) identifier already belongs to an account; an error
// when the database cannot say.
using IdentifierTaken = std::function<Result<bool>(const std::string& identifier)>;

// Every problem of the file, and the accounts its good lines describe.
// Fails only when `is_taken` does.
Result<ImportReport> check_import_lines(std::string_view csv, const ImportSettings& settings,
                                        const IdentifierTaken& is_taken);

}  // namespace portier
