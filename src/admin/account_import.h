#pragma once
// CSV import of members, shared by `portier user import` and the support
// console. A file is checked as a whole before anything is written: every bad
// line is reported with its number and reason, and with any bad line nothing
// is created. Never half-imports: the accounts are created in one transaction.
//
// Format (RFC 4180, UTF-8, optional BOM, LF or CRLF line ends):
//   identifier,email,name,mobile,rpps          <- header, required, this order
//   claire.martin,claire@example.org,Claire Martin,06 12 34 56 78,10001234567
// name, mobile and rpps may be empty; mobile is normalised to E.164 with
// portal.phone_default_country; rpps is 11 digits. Every account is a pending
// member; apply() then queues its invitation (account.invitation).
//
// For a console page:
//   auto report = import.check(csv);          // dry run: changes nothing
//   auto report = import.apply(csv, actor, client);
//   report->problems: {line, code, message}, `code` stable for translations
//   report->applied: accounts were created (report->accounts, as stored)
#include <optional>
#include <string>
#include <vector>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "flow/activation/activation_service.h"

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

class AccountImport {
public:
  AccountImport(AccountStore& accounts, ActivationService& activation, AuditLog& audit, ImportSettings settings);

  // Parses and validates every line (including identifiers already taken in
  // the database); changes nothing. Fails only when the database does.
  Result<ImportReport> check(std::string_view csv);
  // check(), then, only when no line is bad: creates every account in one
  // transaction and queues their invitations. With a bad line, returns the
  // report with applied == false and nothing changed.
  Result<ImportReport> apply(std::string_view csv, std::optional<AccountId> actor, const ClientInfo& client);

private:
  AccountStore& accounts_;
  ActivationService& activation_;
  AuditLog& audit_;
  ImportSettings settings_;
};

// One CSV record with the line it starts on. Exposed for tests.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
  bool unterminated_quote = false;  // the file ended inside a quoted field
  bool stray_quote = false;         // a quote inside an unquoted field, or text after a closing quote
};
std::vector<CsvRecord> parse_csv(std::string_view text);

}  // namespace portier
