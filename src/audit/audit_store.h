#pragma once
#include <vector>

#include "audit/audit_event.h"
#include "common/result.h"

namespace portier {

class AuditStore {
public:
  virtual ~AuditStore() = default;
  /// Appends an event; `at` must be set by the caller.
  virtual Result<void> append(const AuditEvent& event) = 0;
  /// Events concerning the account as actor or target, newest first.
  virtual Result<std::vector<AuditEvent>> recent_for_account(AccountId account, int limit) = 0;
  /// The oldest event of kind `event` about the account (as target), if any:
  /// the console's "created by" reads "admin.user.add" here.
  virtual Result<std::optional<AuditEvent>> first_for_account(AccountId account, std::string_view event) = 0;
};

}  // namespace portier
