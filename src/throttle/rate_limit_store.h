#pragma once
#include <chrono>
#include <optional>

#include "common/clock.h"
#include "common/result.h"

namespace portier {

// Counters for rate limits, kept in the database so that every node counts
// the same events (a limit held in one node's memory is a limit per node).
class RateLimitStore {
public:
  virtual ~RateLimitStore() = default;
  /// Counts one event under `key` and returns how many the current window
  /// holds, this one included. A window starts at the first event after the
  /// previous one ended and lasts `window`. Increment and read are one atomic
  /// statement: parallel hits each see a distinct count.
  virtual Result<int> hit(std::string_view key, std::chrono::seconds window, TimePoint now) = 0;
  /// How many events the current window of `key` holds (0 when none or when
  /// the window is over), without counting one.
  /// Counts one event under `key` only while the current window holds fewer
  /// than `max`: the new count, or nullopt when the window is full (and
  /// nothing was counted). Check and increment are one statement, so parallel
  /// takes never go past `max`, and refused ones use up nothing.
  virtual Result<std::optional<int>> take(std::string_view key, std::chrono::seconds window, int max,
                                          TimePoint now) = 0;
  virtual Result<int> peek(std::string_view key, std::chrono::seconds window, TimePoint now) = 0;
  /// Forgets windows that started before `before`.
  virtual Result<int> purge(TimePoint before) = 0;
};

}  // namespace portier
