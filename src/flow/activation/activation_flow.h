#pragma once
// First connection: an account created without a password (console, CLI,
// import) is pending until its member opens the invitation (a link and a
// long code, like recovery) and chooses a password. There is no browser flow
// record: the invitation tokens are the state, and anyone holding one may use
// it once. Codes typed on the code page count on a short-lived flow record
// of the browser (kind activation, "code entry") as well as per client
// address. The public "Première connexion" form only re-sends invitations and
// answers the same whether or not the target matched a pending account.
#include <string>
#include <variant>

#include "account/account.h"
#include "common/clock.h"

namespace portier {

// How the member proves they read the invitation.
enum class ActivationSecret { Link, Code };

struct Invited {
  AccountId account = 0;
  TimePoint expires_at;
};

struct InvitationRequested {};   // the same for known, unknown and active targets
struct ActivationThrottled {};   // too many requests or codes from this client address
using InvitationRequestOutcome = std::variant<InvitationRequested, ActivationThrottled>;

// A link or code that still works, for the password page.
struct ActivationTarget {
  std::string identifier;
  TimePoint expires_at;
};
struct ActivationCodeRejected {
  int attempts_left = 0;  // on this browser's code entry; 0: it is locked until it expires
};
using ActivationCodeOutcome = std::variant<ActivationTarget, ActivationCodeRejected, ActivationThrottled>;

struct Activated {
  AccountId account = 0;
};
struct ActivationPasswordRejected {
  std::string problem;  // a password-policy id ("too_short", "mismatch", ...)
};
using ActivateOutcome = std::variant<Activated, ActivationPasswordRejected, ActivationThrottled>;

}  // namespace portier
