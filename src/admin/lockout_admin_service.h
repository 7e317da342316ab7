#pragma once
// What support staff and the command line see and do about sign-in
// suspensions: the state of an account's counters, and unlocking it.
// Every unlock is audited with its actor.
#include <optional>

#include "account/account_store.h"
#include "audit/audit_event.h"
#include "audit/audit_log.h"
#include "throttle/lockout_store.h"

namespace portier {

struct LockoutSummary {
  int consecutive_failures = 0;                 // the ceiling counter (all browsers)
  std::optional<TimePoint> unknown_browsers_suspended_until;
  int suspended_devices = 0;                    // browsers with a device cookie, suspended
  bool locked_until_reset = false;
  // The second step's counters (throttle/second_step_guard.h): lifted by the
  // same unlock, and by a password reset.
  std::optional<TimePoint> second_step_suspended_until;
  bool second_step_locked = false;
  int second_step_failures = 0;
  std::vector<AuditEvent> recent_failures;      // newest first
};

class LockoutAdminService {
public:
  LockoutAdminService(AccountStore& accounts, LockoutStore& lockouts, AuditLog& audit, const Clock& clock)
      : accounts_(accounts), lockouts_(lockouts), audit_(audit), clock_(clock) {}

  Result<LockoutSummary> summary(std::string_view identifier);
  // Lifts every suspension and lock of the account; returns how many counters it cleared.
  // `reason` (the support console asks for one) goes into the audit detail.
  Result<int> unlock(std::string_view identifier, std::optional<AccountId> actor, const ClientInfo& client,
                     std::string_view reason = {});

private:
  AccountStore& accounts_;
  LockoutStore& lockouts_;
  AuditLog& audit_;
  const Clock& clock_;
};

}  // namespace portier
