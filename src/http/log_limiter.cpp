#include "http/log_limiter.h"

namespace portier::http {

std::optional<long> LogLimiter::allow(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= max_keys_) {
      // Forget keys whose interval is over before giving up on this one.
      std::erase_if(entries_, [&](const auto& e) { return now - e.second.last >= interval_; });
      if (entries_.size() >= max_keys_) return allow_shared(now);
    }
    entries_.emplace(key, Entry{now, 0});
    return 0;
  }
  auto& e = it->second;
  if (now - e.last < interval_) {
    ++e.skipped;
    return std::nullopt;
  }
  long skipped = e.skipped;
  e = Entry{now, 0};
  return skipped;
}

std::optional<long> LogLimiter::allow_shared(Clock::time_point now) {
  auto& e = shared_;
  if (e.written && now - e.last < interval_) {
    ++e.skipped;
    return std::nullopt;
  }
  long skipped = e.skipped;
  e = Shared{now, 0, true};
  return skipped;
}

}  // namespace portier::http
