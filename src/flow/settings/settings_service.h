#pragma once
// "Mon espace": a signed-in member edits their profile and changes their
// password. Every change is audited; a password change ends other sessions.
#include <functional>
#include <map>
#include <variant>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "credential/password_hasher.h"
#include "credential/password_policy.h"
#include "session/reauthentication.h"
#include "session/session_service.h"

namespace portier {

// The mobile number and the code channel are not here: they need the
// password again and a proof of the number (flow/settings/code_settings_service.h).
// Nor is the email address: it changes only once the new mailbox is proved
// (flow/email_change/email_change_service.h); an `email` field posted with
// the profile is never read.
struct ProfileInput {
  std::string display_name;
};

// Field name -> stable problem id (an i18n key suffix).
using FieldErrors = std::map<std::string, std::string>;

struct Saved {};
struct Invalid {
  FieldErrors errors;
};
// ReauthLockedOut: the current password was wrong too many times; every
// session of the account is ended (session/reauthentication.h).
using SettingsOutcome = std::variant<Saved, Invalid, ReauthLockedOut>;

// The outcome to return when a re-authentication did not pass (nullopt when
// it passed): its problems under the form's own field names.
std::optional<SettingsOutcome> unless_passed(const ReauthOutcome& outcome, const std::string& password_field,
                                             const std::string& code_field = {});

class SettingsService {
public:
  SettingsService(AccountStore& accounts, SessionService& sessions, const PasswordHasher& hasher,
                  const PasswordPolicy& policy, Reauthentication& reauth, AuditLog& audit, std::string portal_name,
                  std::string phone_default_country,
                  std::function<void(const Account&)> on_password_changed = {});

  Result<SettingsOutcome> update_profile(AccountId id, const ProfileInput& input, const ClientInfo& client);
  // Requires the current password; on success every other session ends, the
  // one holding `current_session_token` stays, and the member is mailed
  // (`on_password_changed`).
  Result<SettingsOutcome> change_password(AccountId id, std::string_view current, std::string_view next,
                                          std::string_view confirmation, std::string_view current_session_token,
                                          const ClientInfo& client);

private:
  AccountStore& accounts_;
  SessionService& sessions_;
  const PasswordHasher& hasher_;
  const PasswordPolicy& policy_;
  Reauthentication& reauth_;
  AuditLog& audit_;
  std::string portal_name_;
  std::string phone_default_country_;
  std::function<void(const Account&)> on_password_changed_;
};

}  // namespace portier
