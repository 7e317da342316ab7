#include "admin/account_import.h"

#include <algorithm>

namespace portier {

AccountImport::AccountImport(AccountStore& accounts, ActivationService& activation, AuditLog& audit,
                             ImportSettings settings)
    : accounts_(accounts), activation_(activation), audit_(audit), settings_(std::move(settings)) {}

Result<ImportReport> AccountImport::check(std::string_view csv) {
  return check_import_lines(csv, settings_, [this](const std::string& identifier) -> Result<bool> {
    auto existing = accounts_.find_by_identifier(identifier);
    if (existing) return true;
    if (existing.error().code == ErrorCode::NotFound) return false;
    return tl::unexpected(existing.error());
  });
}

Result<ImportReport> AccountImport::apply(std::string_view csv, std::optional<AccountId> actor,
                                          const ClientInfo& client, bool valid_lines_only) {
  auto report = check(csv);
  if (!report) return report;
  // A problem of the whole file (header, encoding, length) stops even the valid lines.
  bool file_problem = std::any_of(report->problems.begin(), report->problems.end(), [](const ImportProblem& p) {
    return p.code == "header" || p.code == "encoding" || p.code == "empty" || p.code == "too_many_lines";
  });
  if (!report->ok() && (!valid_lines_only || file_problem || report->accounts.empty())) return report;
  auto created = accounts_.create_many(report->accounts);
  if (!created) {
    // Taken between the check and the write: report it like the check would.
    if (created.error().code == ErrorCode::Conflict) {
      report->problems.push_back({0, "identifier_taken", "identifier '" + created.error().detail + "' is already taken"});
      return report;
    }
    return tl::unexpected(created.error());
  }
  report->accounts = std::move(*created);
  report->applied = true;
  for (auto& a : report->accounts) {
    audit_.record("admin.user.add", actor, a.id, client, "role=member; import");
    // The accounts exist now whatever happens to one invitation; a failure
    // is reported and `portier user invite` sends it again.
    if (activation_.invite(a, settings_.lang, actor, client)) ++report->invitations_queued;
    else report->invitation_failures.push_back(a.identifier);
  }
  return report;
}

}  // namespace portier
