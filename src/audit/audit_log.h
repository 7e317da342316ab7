#pragma once
#include <optional>
#include <string>

#include "audit/audit_store.h"
#include "common/client_info.h"
#include "common/clock.h"

namespace portier {

// Records security events. A failure to write is logged loudly but never
// turns a member's successful action into an error page.
class AuditLog {
public:
  AuditLog(AuditStore& store, const Clock& clock) : store_(store), clock_(clock) {}
  void record(std::string event, std::optional<AccountId> actor, std::optional<AccountId> target,
              const ClientInfo& client, std::string detail = {});
  // The event record() would write, stamped now, for a store that writes it
  // in the transaction of the change it records (the token endpoint: one
  // commit for the token and its event). That store's failure is then the
  // change's failure, not a log line.
  AuditEvent event(std::string event, std::optional<AccountId> actor, std::optional<AccountId> target,
                   const ClientInfo& client, std::string detail = {}) const;
  Result<std::vector<AuditEvent>> recent_for_account(AccountId id, int limit) {
    return store_.recent_for_account(id, limit);
  }

  Result<std::optional<AuditEvent>> first_for_account(AccountId id, std::string_view event) {
    return store_.first_for_account(id, event);
  }

private:
  AuditStore& store_;
  const Clock& clock_;
};

}  // namespace portier
