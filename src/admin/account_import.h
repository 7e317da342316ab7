#pragma once
// CSV import of members, shared by `portier user import` and the support
// console. A file is checked as a whole before anything is written: every bad
// line is reported with its number and reason, and with any bad line nothing
// is created. Never half-imports: the accounts are created in one transaction.
//
// The file is read and checked by admin/import_lines.h.
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
  // report with applied == false and nothing changed.
  Result<ImportReport> apply(std::string_view csv, std::optional<AccountId> actor, const ClientInfo& client);

private:
  AccountStore& accounts_;
  ActivationService& activation_;
  AuditLog& audit_;
  ImportSettings settings_;
};

}  // namespace portier
