#pragma once
// The [oidc] section: whether portier acts as an OpenID Connect provider and
// how its signing keys rotate (oidc/rotation_policy.h). Plain data, no I/O.
#include <chrono>
#include <string>
#include <vector>

namespace portier {

struct OidcConfig {
  // Off until the provider is configured: no signing keys are made (an RSA
  // key takes a second) and /.well-known/jwks.json answers 404.
  bool enabled = false;
  int key_rotation_days = 90;
  std::chrono::seconds max_token_lifetime{24 * 3600};  // longest life of anything signed
  std::chrono::seconds jwks_max_age{3600};             // Cache-Control of the JWKS
  // Back-channel logout (oidc/backchannel_worker.h): the delay before each
  // retry of a failed delivery; attempts = retries + 1 (oidc_logout_config.cpp).
  std::vector<std::chrono::seconds> backchannel_retry_delays{std::chrono::seconds(30), std::chrono::seconds(60),
                                                             std::chrono::seconds(180), std::chrono::seconds(300)};
  // Token lifetimes (oidc/token_service.h). What is signed (ID tokens, JWT
  // access tokens) lives at most max_token_lifetime, so that a retired key
  // outlives every token it signed.
  std::chrono::seconds code_lifetime{60};                 // authorization codes: single use, short
  std::chrono::seconds access_token_lifetime{600};        // opaque and JWT alike
  std::chrono::seconds id_token_lifetime{600};
  // A refresh token family ends at the earlier of: refresh_token_lifetime
  // after the sign-in that started it (absolute), or refresh_token_idle
  // after its last use (each rotation restarts the idle clock).
  std::chrono::seconds refresh_token_lifetime{30 * 24 * 3600};
  std::chrono::seconds refresh_token_idle{14 * 24 * 3600};
  // A rotated refresh token presented again within this grace (two tabs
  // refreshing at once) gets a new token of the same family; after it, the
  // family is revoked (reuse detection).
  std::chrono::seconds refresh_reuse_grace{10};
};

// oidc_logout_config.cpp: the [oidc] keys of logout.
class ConfigFile;
void read_oidc_logout_config(const ConfigFile& file, OidcConfig& oidc, std::vector<std::string>& problems);
void validate_oidc_logout_config(const OidcConfig& oidc, std::vector<std::string>& problems);

// Appends one line per problem of `oidc` to `problems`.
void validate_oidc_config(const OidcConfig& oidc, std::vector<std::string>& problems);

}  // namespace portier
