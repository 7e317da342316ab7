#pragma once
#include <optional>
#include <string>

#include "account/account.h"
#include "common/clock.h"

namespace portier {

// One security-relevant event. `event` is a stable dotted name
// ("sign_in.success", "admin.user.disable") that logs and the UI translate.
struct AuditEvent {
  std::int64_t id = 0;
  TimePoint at{};
  std::string event;
  std::optional<AccountId> actor;   // who did it (empty: anonymous or the system)
  std::optional<AccountId> target;  // whose account it concerns
  std::string ip;                   // "cli" for the command line
  std::string user_agent;
  std::string detail;               // short, never a secret
};

}  // namespace portier
