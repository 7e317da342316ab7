#pragma once
// Decides, before any password is hashed, whether a sign-in attempt may go
// ahead at all: the client address is not in back-off after failures
// (throttle/client_throttle.h), and neither the account typed nor the
// address has had its share of *successful* sign-ins in the window (each
// success costs a hash and a session: a stolen password, or a member's own
// script, must not keep the hashing pool busy). Keys are a keyed hash of
// the identifier typed, known or not, so refusals say nothing of existence.
// Never hashes a password and never counts a failure.
#include <chrono>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "common/secret_hasher.h"
#include "throttle/address_ranges.h"
#include "throttle/client_throttle.h"
#include "throttle/rate_limit_store.h"

namespace portier {

struct SuccessLimitSettings {
  int per_account = 30;
  int per_client = 1000;
  std::chrono::seconds window{3600};
  // Addresses shared by many members (throttle/address_ranges.h): their own per-address limit.
  AddressRanges shared;
  int per_shared_client = 20000;
};

struct GateRefusal {
  std::chrono::seconds retry_after;
  const char* why;  // for the audit: "address in back-off", "successes per account", "successes per address"
};

class SignInGate {
public:
  SignInGate(ClientThrottle& throttle, RateLimitStore& store, const SecretHasher& secrets, const Clock& clock,
             SuccessLimitSettings settings)
      : throttle_(throttle), store_(store), secrets_(secrets), clock_(clock), settings_(settings) {}

  // `identifier` as normalised (or as typed when it does not normalise).
  Result<std::optional<GateRefusal>> check(std::string_view identifier, std::string_view client_ip);
  // The password was right: counts the success for the account and the address.
  Result<void> succeeded(std::string_view identifier, std::string_view client_ip);

private:
  std::string account_key(std::string_view identifier) const;
  static std::string client_key(std::string_view ip) { return "sign_in:ok:client:" + std::string(ip); }

  ClientThrottle& throttle_;
  RateLimitStore& store_;
  const SecretHasher& secrets_;
  const Clock& clock_;
  SuccessLimitSettings settings_;
};

}  // namespace portier
