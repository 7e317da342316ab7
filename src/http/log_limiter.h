#pragma once
// Says whether a log line about `key` (a client address, an error kind) may
// be written now: at most one per key per interval, so that a flood of
// refused connections or failed accepts writes a few lines, not one each.
// The line that is let through carries how many were held back since.
// Bounded memory: past `max_keys` distinct keys in one interval, the rest
// share one "*" key. Thread-safe.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace portier::http {

class LogLimiter {
public:
  using Clock = std::chrono::steady_clock;
  LogLimiter(std::chrono::seconds interval, std::size_t max_keys = 1024) : interval_(interval), max_keys_(max_keys) {}

  // Nothing when the line must be skipped; otherwise how many lines for this
  // key were skipped since the last one written.
  std::optional<long> allow(const std::string& key, Clock::time_point now = Clock::now());

private:
  struct Entry {
    Clock::time_point last;
    long skipped = 0;
  };
  struct Shared {
    Clock::time_point last;
    long skipped = 0;
    bool written = false;
  };
  std::optional<long> allow_shared(Clock::time_point now);
  std::chrono::seconds interval_;
  std::size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  Shared shared_;  // the "*" key: every address past max_keys
};

}  // namespace portier::http
