#pragma once
// Administrative actions on accounts (command line today, support console
// later). Every action is audited with its actor.
#include <optional>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "credential/password_hasher.h"
#include "credential/password_policy.h"
#include "credential/temporary_password.h"
#include "session/session_service.h"

namespace portier {

struct NewAccount {
  std::string identifier;
  std::string email;
  std::string display_name;
  std::string phone;
  std::string rpps;
  Role role = Role::Member;
  std::optional<std::string> password;  // none: the account stays pending until its first connection
};

struct TemporaryPassword {
  std::string password;  // shown once, never stored in clear
  TimePoint expires_at;
};

struct AdminSettings {
  std::string portal_name;
  std::string phone_default_country = "+33";
  std::chrono::seconds temporary_password_lifetime{72 * 3600};
};

class AccountAdminService {
public:
  AccountAdminService(AccountStore& accounts, SessionService& sessions, const PasswordHasher& hasher,
                      const PasswordPolicy& policy, AuditLog& audit, Random& random, const Clock& clock,
                      AdminSettings settings);

  // InvalidInput with a readable detail listing every problem; Conflict when
  // the identifier is taken.
  Result<Account> add(const NewAccount& input, std::optional<AccountId> actor, const ClientInfo& client);
  Result<Account> find(std::string_view identifier);
  Result<std::vector<Account>> list(int limit, int offset);
  // `reason` (the support console asks for one) goes into the audit detail.
  // InvalidInput when the change would leave no active administrator.
  Result<Account> set_status(std::string_view identifier, AccountStatus status, std::optional<AccountId> actor,
                             const ClientInfo& client, std::string_view reason = {});
  Result<Account> set_role(std::string_view identifier, Role role, std::optional<AccountId> actor,
                           const ClientInfo& client, std::string_view reason = {});
  // Ends every session of the account (ASVS 7.4.5); how many were ended.
  Result<int> end_sessions(std::string_view identifier, std::optional<AccountId> actor, const ClientInfo& client,
                           std::string_view reason = {});
  // Ends every session of every account: everybody signs in again.
  Result<int> end_every_session(std::optional<AccountId> actor, const ClientInfo& client);
  // Random temporary password, valid `temporary_password_lifetime`, forcing a
  // change at next sign-in; ends the account's sessions.
  Result<TemporaryPassword> issue_temporary_password(std::string_view identifier, std::optional<AccountId> actor,
                                                     const ClientInfo& client, std::string_view reason = {});

private:
  Result<void> keep_an_admin(const Account& a, Role role, AccountStatus status);

  AccountStore& accounts_;
  SessionService& sessions_;
  const PasswordHasher& hasher_;
  const PasswordPolicy& policy_;
  AuditLog& audit_;
  Random& random_;
  const Clock& clock_;
  AdminSettings settings_;
};

// make_temporary_password(): credential/temporary_password.h.

}  // namespace portier
