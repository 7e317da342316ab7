#pragma once
// CSV import of members, shared by `portier user import` and the support
// console. A file is checked as a whole before anything is written: every bad
// line is reported with its number and reason, and with any bad line nothing
// is created. Never half-imports: the accounts are created in one transaction.
//
// The file is read and checked by admin/import_lines.h.
// Format (RFC 4180, LF or CRLF line ends; UTF-8 with or without BOM, or
// Windows-1252; ";" or "," separators; French or English headers in any
// order, see admin/import_lines.h):
//   Nom;Prénom;Adresse e-mail;Téléphone;RPPS
//   Martin;Claire;claire@example.org;06 12 34 56 78;10001234567
// or, as before, identifier,email,name,mobile,rpps. Only the address is
// required; name, mobile and rpps may be empty; mobile is normalised to E.164 with
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
#include "admin/import_lines.h"
#include "audit/audit_log.h"
#include "flow/activation/activation_service.h"

namespace portier {

class AccountImport {
public:
  AccountImport(AccountStore& accounts, ActivationService& activation, AuditLog& audit, ImportSettings settings);

  // Parses and validates every line (including identifiers already taken in
  // the database); changes nothing. Fails only when the database does.
  Result<ImportReport> check(std::string_view csv);
  // check(), then, only when no line is bad: creates every account in one
  // transaction and queues their invitations. With a bad line, returns the
  // report with applied == false and nothing changed, unless `valid_lines_only`
  // (the console's "importer les lignes valides"): then the valid lines are
  // created all the same and the bad ones stay in report.problems.
  Result<ImportReport> apply(std::string_view csv, std::optional<AccountId> actor, const ClientInfo& client,
                             bool valid_lines_only = false);

private:
  AccountStore& accounts_;
  ActivationService& activation_;
  AuditLog& audit_;
  ImportSettings settings_;
};

}  // namespace portier
