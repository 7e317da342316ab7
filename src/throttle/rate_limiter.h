#pragma once
// Decides whether one more event of a kind is allowed now. Knows nothing of
// accounts: callers choose keys that reveal nothing (a keyed hash of the
// target, the client address).
#include <string>

#include "throttle/rate_limit_store.h"

namespace portier {

struct RateLimit {
  int max_events = 5;
  std::chrono::seconds window{3600};
};

class RateLimiter {
public:
  RateLimiter(RateLimitStore& store, const Clock& clock) : store_(store), clock_(clock) {}
  /// Counts the event and says whether it is within `limit`.
  Result<bool> allow(std::string_view key, const RateLimit& limit) {
    auto count = store_.hit(key, limit.window, clock_.now());
    if (!count) return tl::unexpected(count.error());
    return *count <= limit.max_events;
  }

  /// Counts the event only while it is within `limit`: false (and nothing
  /// counted) once the window is full, so refusals do not prolong a block.
  Result<bool> take(std::string_view key, const RateLimit& limit) {
    auto count = store_.take(key, limit.window, limit.max_events, clock_.now());
    if (!count) return tl::unexpected(count.error());
    return count->has_value();
  }
  /// How many events the current window of `key` holds.
  Result<int> count(std::string_view key, const RateLimit& limit) {
    return store_.peek(key, limit.window, clock_.now());
  }

private:
  RateLimitStore& store_;
  const Clock& clock_;
};

}  // namespace portier
