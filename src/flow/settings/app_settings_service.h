#pragma once
// Mon espace → authenticator app, and the assistance's "reset the app".
// The strongest factor guards itself: once an app is enrolled, replacing it,
// removing it or drawing new recovery codes needs the current password AND a
// code from that app or a recovery code (Reauthentication, AppIfEnrolled):
// a session left open, or a password learnt from a reset by mail, is not
// enough to swap the app for the attacker's. Every change is audited and
// mailed to the member (outbox). GET never draws a key: new_key() is for POST.
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "audit/audit_log.h"
#include "credential/totp_service.h"
#include "notify/message_composer.h"
#include "notify/outbox_store.h"
#include "session/reauthentication.h"

namespace portier {

struct AppSettings {
  std::string default_language = "fr";  // of the notices (the browser may be an attacker's)
  std::string public_url = "http://localhost:8080";
};

// Done; `recovery_codes` are the new ones to show once (enrolment, regeneration).
struct AppChanged {
  std::vector<std::string> recovery_codes;
  bool replaced = false;  // an app was enrolled before this one
};
// The new app's first code was wrong (enrolment only).
struct AppCodeWrong {};
using AppOutcome = std::variant<AppChanged, AppCodeWrong, ReauthRefused, ReauthLockedOut>;

class AppSettingsService {
public:
  AppSettingsService(TotpService& totp, Reauthentication& reauth, OutboxStore& outbox, const MessageComposer& composer,
                     AuditLog& audit, const Clock& clock, std::function<void()> wake_outbox, AppSettings settings);

  // Draws a new key and keeps it pending (POST only): reloading the page
  // shows the same key (pending()).
  Result<TotpEnrolment> new_key(const Account& account);
  // The pending key; NotFound when none was drawn (or it was confirmed).
  Result<TotpEnrolment> pending(const Account& account);
  // The first code of the new app, the password, and (when an app is
  // enrolled) a code of the current app or a recovery code.
  // NotFound / FlowStateInvalid when no key is pending any more.
  Result<AppOutcome> confirm(const Account& account, std::string_view new_app_code, ReauthProof proof,
                             const ClientInfo& client);
  Result<AppOutcome> regenerate_codes(const Account& account, ReauthProof proof, const ClientInfo& client);
  Result<AppOutcome> remove(const Account& account, ReauthProof proof, const ClientInfo& client);
  // Assistance (console) and the operator (`portier user reset-app`): the
  // member lost both the app and the recovery codes. Removes the app, its
  // pending key and codes; audits with `actor` and `reason`; tells the member.
  // false when the account had no app.
  Result<bool> reset(const Account& account, std::optional<AccountId> actor, std::string_view reason,
                     const ClientInfo& client);

private:
  // "enrolled", "replaced", "removed", "codes" or "reset".
  void tell(const Account& account, const char* what);

  TotpService& totp_;
  Reauthentication& reauth_;
  OutboxStore& outbox_;
  const MessageComposer& composer_;
  AuditLog& audit_;
  const Clock& clock_;
  std::function<void()> wake_outbox_;
  AppSettings settings_;
};

}  // namespace portier
