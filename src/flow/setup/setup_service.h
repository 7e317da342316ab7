#pragma once
// First start: while no active administrator exists, the operator gets a
// single-use link (printed on the console) to create one in the browser.
#include <variant>

#include "admin/account_admin_service.h"
#include "flow/flow_store.h"
#include "flow/settings/settings_service.h"

namespace portier {

enum class SetupState { AwaitingAdministrator, Completed };

struct SetupInput {
  std::string identifier;
  std::string email;
  std::string display_name;
  std::string password;
  std::string confirmation;
};

struct SetupDone {
  Account administrator;
};
using SetupOutcome = std::variant<SetupDone, Invalid>;

class SetupService {
public:
  SetupService(AccountStore& accounts, FlowStore& flows, AccountAdminService& admin, const PasswordPolicy& policy,
               AuditLog& audit, const SecretHasher& secrets, Random& random, const Clock& clock,
               std::chrono::seconds link_lifetime, std::string portal_name);

  Result<bool> needs_setup();
  // Replaces any earlier link with a new one; returns the token for the URL.
  Result<std::string> issue_link();
  // NotFound, Expired or FlowStateInvalid when the link cannot be used.
  Result<FlowEnvelope> check(std::string_view token);
  Result<SetupOutcome> complete(std::string_view token, const SetupInput& input, const ClientInfo& client);

private:
  AccountStore& accounts_;
  FlowStore& flows_;
  AccountAdminService& admin_;
  const PasswordPolicy& policy_;
  AuditLog& audit_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  std::chrono::seconds link_lifetime_;
  std::string portal_name_;
};

}  // namespace portier
