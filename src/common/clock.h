#pragma once
// Time is injected everywhere a rule depends on it (expiry, idle timeouts,
// lockout), so that tests move it forward instead of sleeping.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace portier {

using TimePoint = std::chrono::system_clock::time_point;
using Seconds = std::chrono::seconds;

inline std::int64_t to_unix(TimePoint t) {
  return std::chrono::duration_cast<Seconds>(t.time_since_epoch()).count();
}
inline TimePoint from_unix(std::int64_t s) { return TimePoint(Seconds(s)); }

class Clock {
public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock that only moves when told to; for tests and benchmarks.
class FakeClock final : public Clock {
public:
  explicit FakeClock(TimePoint start = from_unix(1'800'000'000)) : now_(to_unix(start)) {}
  TimePoint now() const override { return from_unix(now_.load()); }
  void advance(Seconds d) { now_ += d.count(); }
  void set(TimePoint t) { now_ = to_unix(t); }

private:
  std::atomic<std::int64_t> now_;
};

// ISO-8601 UTC ("2026-11-25T17:43:29Z"), for logs and the CLI.
std::string format_utc(TimePoint t);

}  // namespace portier
