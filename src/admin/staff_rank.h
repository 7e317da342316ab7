#pragma once
// The rank rule of the support console: staff act only on accounts below
// their own rank (member < support < admin), never on their own account.
// Pure decisions, no I/O: SupportService::target() applies them once for
// every console action, and the account page uses them to say why actions
// are absent. Never grants anything the console gate (role support or admin,
// session signed in with an app) has not already granted.
//
// Why lower rank only: an agent who could reset or redirect the credentials
// of an equal or higher account could sign in as it (a support agent as an
// administrator, then promote themselves). Actions on an administrator's
// account are the operator's, on the server (`portier user …`).
#include <optional>
#include <string_view>

#include "account/account.h"

namespace portier {

// Why an agent may not act on an account.
enum class RankRefusal {
  NotStaff,          // the agent is a member (the console gate already refuses them)
  OwnAccount,        // one's own account is managed in Mon espace
  SameOrHigherRank,  // the account's role is the agent's or above it
  AdminOnly,         // role changes are for administrators
};

const char* to_string(RankRefusal r);

// member 0 < support 1 < admin 2.
int rank_of(Role role);

// Whether `agent` may act on `target`'s credentials, contacts and status
// (temporary password, reset link, reminder, invitation, email or mobile
// correction, unlock, disable/enable, role). Empty: allowed.
std::optional<RankRefusal> refuse_action(const Account& agent, const Account& target);

// A role change: administrators only, and the action rule (so an
// administrator changes members' and support agents' roles, never another
// administrator's nor their own).
std::optional<RankRefusal> refuse_role_change(const Account& agent, const Account& target);

// A temporary password may be shown on the agent's screen only for a
// member's account; a staff account's goes to its own mailbox, so that no
// screen (nor whoever reads it) ever holds a staff credential.
bool may_show_temporary_password(const Account& target);

}  // namespace portier
