#pragma once
// Tells a member that staff changed how she signs in, when no other message
// already says so: a temporary password shown to the agent (a mailed one is
// its own notice), a suspension lifted. Nothing the agent typed goes into the
// mail (no reason, no note): only what was done, when, and where to turn if
// it was not at her request. Queued through the outbox.
#include <string_view>

#include "account/account.h"
#include "common/result.h"
#include "notify/message_composer.h"
#include "notify/outbox_store.h"

namespace portier {

enum class StaffChange {
  TemporaryPasswordShown,  // issued and read out to the member by the agent
  SuspensionLifted,        // sign-in (and second-step) suspensions cleared
};

struct StaffChangeNotice {
  std::string_view lang;        // the portal's language (members' mails)
  std::string_view public_url;  // for the links to sign in and to the assistance
  TimePoint now;
};

Result<void> queue_staff_change_notice(OutboxStore& outbox, const MessageComposer& composer, const Account& member,
                                       StaffChange change, const StaffChangeNotice& context);

}  // namespace portier
