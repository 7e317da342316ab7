#pragma once
// Tells a member that failed passwords suspended their sign-in, at most once
// a day per account: whoever hammers a member's identifier (or keeps
// re-triggering the suspension from new browsers) must not be able to make
// the portal flood that member's mailbox. A lock until reset (the ceiling)
// is always told: it happens once, and the member must act on it. Never
// composes or sends mail itself (`send` does); never reveals anything to the
// browser.
#include <functional>

#include "account/account.h"
#include "throttle/rate_limiter.h"
#include "throttle/sign_in_guard.h"

namespace portier {

class SuspensionNotifier {
public:
  using Send = std::function<void(const Account&, const Suspension&)>;
  SuspensionNotifier(RateLimiter& limiter, Send send, RateLimit per_account = {1, std::chrono::hours(24)})
      : limiter_(limiter), send_(std::move(send)), per_account_(per_account) {}

  // Sends the notice unless this account was told of a suspension within
  // the window. true when a notice went out.
  bool notify(const Account& account, const Suspension& suspension);

private:
  RateLimiter& limiter_;
  Send send_;
  RateLimit per_account_;
};

}  // namespace portier
