#pragma once
// A provider's signing keys (its jwks_uri), kept for kMaxAge and fetched
// again once when a token names a `kid` we do not hold: providers rotate keys
// by publishing the new one and signing with it soon after. At most one
// fetch per verification, so a token with an unknown kid costs one request,
// never a loop. Thread-safe: several sign-ins may verify at once.
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "federation/http_fetcher.h"
#include "oidc/jose/jwk_import.h"

namespace portier::federation {

class KeySetCache {
public:
  static constexpr std::chrono::hours kMaxAge{1};

  KeySetCache(HttpFetcher& http, const Clock& clock) : http_(http), clock_(clock) {}

  // The key named `kid` (or, for a token without kid, the only key of the
  // algorithm `alg`); NotFound when even a fresh set lacks it, Unavailable
  // when the set cannot be fetched.
  Result<oidc::jose::SigningKey> key_for(const std::string& jwks_uri, std::string_view kid, std::string_view alg);

  // Fetches now (the operator's check, and a sign-in's start); returns the number of usable keys.
  Result<std::size_t> refresh(const std::string& jwks_uri);

private:
  Result<std::size_t> refresh_locked(const std::string& jwks_uri);
  std::optional<oidc::jose::SigningKey> find_locked(std::string_view kid, std::string_view alg) const;

  HttpFetcher& http_;
  const Clock& clock_;
  std::mutex mutex_;
  std::string uri_;  // the set below is this URI's
  std::vector<oidc::jose::JwkSetKey> keys_;
  TimePoint fetched_at_{};
};

}  // namespace portier::federation
