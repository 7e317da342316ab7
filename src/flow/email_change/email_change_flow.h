#pragma once
// Changing the email address: what the flow's steps return. The new address
// is proved (a link and a code sent to it come back) before it is used; the
// old address is told at once and can cancel ("this was not me").
#include <string>
#include <variant>

#include "common/clock.h"
#include "flow/settings/settings_service.h"

namespace portier {

struct EmailChangeRequested {
  std::string new_email;  // shown in full to the member who typed it, masked to staff
  TimePoint expires_at;
};
// Invalid: field problems (new_email, the password, the app code);
// ReauthLockedOut: too many wrong passwords, every session ended.
using EmailChangeRequestOutcome = std::variant<EmailChangeRequested, Invalid, ReauthLockedOut>;

// A change waiting for the new mailbox.
struct PendingEmailChange {
  std::string new_email;
  TimePoint expires_at;
  int attempts_left = 0;
  bool by_staff = false;  // started from the support console
};

struct EmailChanged {
  int sessions_ended = 0;
};
struct EmailCodeWrong {
  int attempts_left = 0;  // 0: the change must be asked again
};
using EmailConfirmOutcome = std::variant<EmailChanged, EmailCodeWrong>;

// What the link pages (confirm, "this was not me") show before the POST.
struct EmailChangeLinkView {
  std::string identifier;
  std::string masked_new_email;
  TimePoint expires_at;
};

}  // namespace portier
