#pragma once
// Slows down one client address that keeps failing sign-ins across many
// accounts (credential stuffing): after a few failures in the window its
// sign-in form asks for the robot check, and each further failure puts the
// address in back-off for a delay that doubles with every failure: its
// failed answers wait that long, and an attempt sent during the back-off
// (by a client that does not wait for answers: many parallel connections)
// is refused before any password is hashed (`backoff` > 0; whole seconds,
// so a 250 ms delay is a back-off of up to one second). Successful answers
// are not delayed: members behind a shared address are not punished for
// others. Counts in the database, so every node sees the same address.
// Knows nothing of accounts.
#include <algorithm>
#include <chrono>
#include <string>

#include "throttle/rate_limit_store.h"

namespace portier {

struct ClientThrottleSettings {
  int free_failures = 10;                      // from this many failures on: robot check, and failed answers wait
  std::chrono::seconds window{3600};
  std::chrono::milliseconds base_delay{250};   // after the first failure past the free ones; doubles each time
  std::chrono::milliseconds max_delay{8000};
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
    auto a = assessment(*n);
    if (a.delay.count() > 0) {
      // The back-off of failure n started when it was counted (its own key).
      auto length = whole_seconds(a.delay);
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
    auto a = assessment(*n);
    if (a.delay.count() > 0) {
      auto started = store_.hit(backoff_key(client_ip, *n), whole_seconds(a.delay), clock_.now());
      if (!started) return tl::unexpected(started.error());
    }
    return a;
  }

  ClientAssessment assessment(int failures) const {
    ClientAssessment a{failures, failures >= settings_.free_failures, std::chrono::milliseconds(0)};
    int over = failures - settings_.free_failures;
    if (over >= 0) {
      auto d = settings_.base_delay * (1LL << std::min(over, 20));
      a.delay = std::min<std::chrono::milliseconds>(d, settings_.max_delay);
    }
    return a;
  }

private:
  static std::string key(std::string_view ip) { return "sign_in:client:" + std::string(ip); }
  // One key per step of the doubling, and one for every failure at the cap:
  // a key's window then always starts at the failure that opened it, and an
  // address has at most a handful of rows.
  std::string backoff_key(std::string_view ip, int failures) const {
    int step = failures - settings_.free_failures;
    int cap = 0;
    while (cap < 20 && settings_.base_delay * (1LL << cap) < settings_.max_delay) ++cap;
    return "sign_in:backoff:" + std::string(ip) + ":" + std::to_string(std::clamp(step, 0, cap));
  }
  static std::chrono::seconds whole_seconds(std::chrono::milliseconds d) {
    return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(d));
  }

  RateLimitStore& store_;
  const Clock& clock_;
  ClientThrottleSettings settings_;
};

}  // namespace portier
