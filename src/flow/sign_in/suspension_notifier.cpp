#include "flow/sign_in/suspension_notifier.h"

#include <spdlog/spdlog.h>

namespace portier {

bool SuspensionNotifier::notify(const Account& account, const Suspension& suspension) {
  if (!suspension.until_reset) {
    // take(): the count and the check are one statement, so two suspensions
    // engaged at the same moment (two counters, two nodes) send one notice.
    auto allowed = limiter_.take("notice:suspension:" + std::to_string(account.id), per_account_);
    if (!allowed) {
      // Rather one notice too few than a mailbox flooded while the database
      // is unwell: the suspension itself is in force either way.
      spdlog::error("suspension notice limit unavailable for account {}: {}", account.id, allowed.error().detail);
      return false;
    }
    if (!*allowed) return false;
  }
  if (send_) send_(account, suspension);
  return true;
}

}  // namespace portier
