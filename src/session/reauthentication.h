#pragma once
// Every "type your password again" of portier: Mon espace's sensitive forms,
// the support agent's password on console actions, the CSV import. One
// component so that each check is normalised like sign-in (NFKC), counted
// on the account, and audited the same way.
//
// A signed-in session that gets the password wrong `max_failures` times in a
// row is not the member at the keyboard: every session of the account ends
// (the caller signs the browser out) and the member is told by mail. The
// count lives in the database (LockoutStore), so parallel guesses cannot
// slip past it; a right answer starts it again.
//
// Never reveals which of the password and the code was wrong when both were
// asked and both were wrong; never changes anything but its counter.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "account/account.h"
#include "audit/audit_log.h"
#include "common/client_info.h"
#include "credential/password_hasher.h"
#include "credential/totp_service.h"
#include "session/session_service.h"
#include "throttle/lockout_store.h"

namespace portier {

// What the person at the keyboard offers.
struct ReauthProof {
  std::string_view password;
  // A code from the authenticator app, or one of its recovery codes. Read
  // only when the check asks for the app (ReauthFactor::AppIfEnrolled).
  std::string_view app_code = {};
};

enum class ReauthFactor {
  PasswordOnly,
  AppIfEnrolled,  // the password, and a code from the app (or a recovery code) when one is enrolled
};

struct ReauthPassed {
  bool used_app = false;            // an app code was checked
  bool used_recovery_code = false;  // a recovery code was spent
};
// Problem ids ("required", "wrong_current", "wrong_code") for the form's
// password field and app-code field; empty when that field is fine.
struct ReauthRefused {
  std::string password_problem;
  std::string app_code_problem;
  int attempts_left = 0;
};
// Too many wrong answers: every session of the account is ended; the member
// was told. The page signs the browser out.
struct ReauthLockedOut {};
using ReauthOutcome = std::variant<ReauthPassed, ReauthRefused, ReauthLockedOut>;

struct ReauthSettings {
  int max_failures = 5;
};

class Reauthentication {
public:
  // Called once when the failures end the account's sessions (queues a mail).
  using LockedOutNotice = std::function<void(const Account&, const ClientInfo&)>;

  Reauthentication(const PasswordHasher& hasher, LockoutStore& lockouts, SessionService& sessions, TotpService& totp,
                   AuditLog& audit, const Clock& clock, LockedOutNotice on_locked_out, ReauthSettings settings = {});

  // `purpose` names the form in the audit ("password_change", "support.temporary_password", ...).
  Result<ReauthOutcome> check(const Account& account, ReauthProof proof, ReauthFactor factor, std::string_view purpose,
                              const ClientInfo& client);

  // Whether `check` with AppIfEnrolled will ask this account for an app code.
  Result<bool> asks_app_code(const Account& account) { return totp_.is_enrolled(account.id); }

private:
  LockoutRule rule(const Account& account) const;

  const PasswordHasher& hasher_;
  LockoutStore& lockouts_;
  SessionService& sessions_;
  TotpService& totp_;
  AuditLog& audit_;
  const Clock& clock_;
  LockedOutNotice on_locked_out_;
  ReauthSettings settings_;
};

}  // namespace portier
