#pragma once
// Slows down one client address that keeps failing sign-ins across many
// accounts (credential stuffing): after a few failures in the window its
// sign-in form asks for the robot check, and each further failed answer
// waits a delay that doubles with every failure. From a 2 s delay on, the
// address is also in back-off for one second less than its answer waits
// (whole seconds: the counters' resolution): an attempt sent meanwhile, by
// a client that does not wait for its answers (many parallel connections),
// is refused before any password is hashed (`backoff` > 0), while a client
// that waits for its answer never meets it. Successful answers are not
// delayed: members behind a shared address are not punished for others. Counts in the database, so every node sees the same address.
// Knows nothing of accounts.
#include <algorithm>
#include <chrono>
#include <string>

#include "throttle/address_ranges.h"
#include "throttle/rate_limit_store.h"

namespace portier {

struct ClientThrottleSettings {
  int free_failures = 10;                      // from this many failures on: robot check, and failed answers wait
  std::chrono::seconds window{3600};
  std::chrono::milliseconds base_delay{250};   // after the first failure past the free ones; doubles each time
  std::chrono::milliseconds max_delay{8000};
  // Addresses shared by many members (a hospital's NAT) and their own
  // free failures: the doubling delays start later there, nothing else changes.
  AddressRanges shared;
  int shared_free_failures = 200;
};

struct ClientAssessment {
  int failures = 0;
  bool needs_robot_check = false;
  std::chrono::milliseconds delay{0};
  // In back-off: refuse the attempt (429) and ask to come back after this.
  std::chrono::seconds backoff{0};
};

class ClientThrottle {
public:
  ClientThrottle(RateLimitStore& store, const Clock& clock, ClientThrottleSettings settings)
      : store_(store), clock_(clock), settings_(settings) {}

  Result<ClientAssessment> assess(std::string_view client_ip) {
    auto n = store_.peek(key(client_ip), settings_.window, clock_.now());
    if (!n) return tl::unexpected(n.error());
    auto a = assessment(*n, client_ip);
    if (auto length = backoff_length(a.delay, client_ip); length.count() > 0) {
      // The back-off of failure n started when it was counted (its own key).
      auto running = store_.peek(backoff_key(client_ip, *n), length, clock_.now());
      if (!running) return tl::unexpected(running.error());
      if (*running > 0) a.backoff = length;
    }
    return a;
  }
  // Counts a failed sign-in from this address and starts its back-off;
  // returns the assessment after it.
  Result<ClientAssessment> failed(std::string_view client_ip) {
    auto n = store_.hit(key(client_ip), settings_.window, clock_.now());
    if (!n) return tl::unexpected(n.error());
    auto a = assessment(*n, client_ip);
    if (auto length = backoff_length(a.delay, client_ip); length.count() > 0) {
      auto started = store_.hit(backoff_key(client_ip, *n), length, clock_.now());
      if (!started) return tl::unexpected(started.error());
    }
    return a;
  }

  ClientAssessment assessment(int failures, std::string_view client_ip = {}) const {
    int free = free_failures(client_ip);
    ClientAssessment a{failures, failures >= free, std::chrono::milliseconds(0)};
    int over = failures - free;
    if (over >= 0) {
      auto d = settings_.base_delay * (1LL << std::min(over, 20));
      a.delay = std::min<std::chrono::milliseconds>(d, settings_.max_delay);
    }
    return a;
  }

  int free_failures(std::string_view client_ip) const {
    return !client_ip.empty() && settings_.shared.contains(client_ip) ? settings_.shared_free_failures
                                                                       : settings_.free_failures;
  }

private:
  static std::string key(std::string_view ip) { return "sign_in:client:" + std::string(ip); }
  // One key per step of the doubling, and one for every failure at the cap:
  // a key's window then always starts at the failure that opened it, and an
  // address has at most a handful of rows.
  std::string backoff_key(std::string_view ip, int failures) const {
    int step = failures - free_failures(ip);
    int cap = 0;
    while (cap < 20 && settings_.base_delay * (1LL << cap) < settings_.max_delay) ++cap;
    return "sign_in:backoff:" + std::string(ip) + ":" + std::to_string(std::clamp(step, 0, cap));
  }
  // The counters start windows at whole seconds, so a back-off of n seconds
  // ends up to one second early, never late: n = delay - 1 s keeps it inside
  // the time the failed answer is held.
  static std::chrono::seconds backoff_length(std::chrono::milliseconds delay, std::string_view = {}) {
    return std::max(std::chrono::seconds(0), std::chrono::floor<std::chrono::seconds>(delay) - std::chrono::seconds(1));
  }

  RateLimitStore& store_;
  const Clock& clock_;
  ClientThrottleSettings settings_;
};

}  // namespace portier
