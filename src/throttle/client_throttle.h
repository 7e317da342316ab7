#pragma once
// Slows down one client address that keeps failing sign-ins across many
// accounts (credential stuffing): after a few failures in the window its
// sign-in form asks for the robot check, and each further failed answer
// waits a delay that doubles with every failure (successful answers are not
// delayed: members behind a shared address are not punished for others). Counts in the database, so
// every node sees the same address. Knows nothing of accounts.
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
};

class ClientThrottle {
public:
  ClientThrottle(RateLimitStore& store, const Clock& clock, ClientThrottleSettings settings)
      : store_(store), clock_(clock), settings_(settings) {}

  Result<ClientAssessment> assess(std::string_view client_ip) {
    auto n = store_.peek(key(client_ip), settings_.window, clock_.now());
    if (!n) return tl::unexpected(n.error());
    return assessment(*n);
  }
  // Counts a failed sign-in from this address; returns the assessment after it.
  Result<ClientAssessment> failed(std::string_view client_ip) {
    auto n = store_.hit(key(client_ip), settings_.window, clock_.now());
    if (!n) return tl::unexpected(n.error());
    return assessment(*n);
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

  RateLimitStore& store_;
  const Clock& clock_;
  ClientThrottleSettings settings_;
};

}  // namespace portier
