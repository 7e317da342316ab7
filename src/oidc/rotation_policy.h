#pragma once
// When signing keys are made, promoted and dropped: a pure function of the
// stored keys, the settings and the time, so a test walks a whole rotation
// with a FakeClock and every node of a cluster reaches the same plan.
//
// Per algorithm: one active key signs; one next key is published in the
// JWKS from the moment the active one starts signing, so relying parties
// have it cached long before it signs anything. When the active key has
// signed for `rotation_period` (and the next one has been published for at
// least `publication_margin()`), the active key retires, the next becomes
// active and a new next is made. A retired key stays in the JWKS until every
// token it signed has expired (`max_token_lifetime` after its retirement),
// then it is deleted.
#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "oidc/signing_key_store.h"

namespace portier::oidc {

struct RotationPolicy {
  Seconds rotation_period{std::chrono::days(90)};
  // The longest lifetime of anything signed (ID token, JWT access token,
  // logout token).
  Seconds max_token_lifetime{std::chrono::hours(24)};
  // How long relying parties may cache the JWKS (its Cache-Control max-age).
  Seconds jwks_max_age{std::chrono::hours(1)};

  // How long a next key must have been published before it may sign.
  Seconds publication_margin() const { return max_token_lifetime + jwks_max_age; }
};

// The rotation period must cover the publication margin, or a next key could
// be promoted before relying parties have seen it.
Result<void> validate(const RotationPolicy& policy);

struct RotationStep {
  enum class Kind {
    CreateActive,   // no active key for `alg` (first start)
    CreateNext,     // no next key for `alg`
    Rotate,         // active_kid retires, next_kid becomes active, a new next is made
    DeleteRetired,  // retired keys at or before `cutoff` go
  };
  Kind kind;
  jose::JwsAlg alg = jose::JwsAlg::RS256;
  std::string active_kid;
  std::string next_kid;
  TimePoint cutoff{};

  bool operator==(const RotationStep&) const = default;
};

std::vector<RotationStep> plan_rotation(const std::vector<StoredSigningKey>& keys, std::span<const jose::JwsAlg> algs,
                                        const RotationPolicy& policy, TimePoint now);

// Whether the JWKS lists `key` at `now`: active, next, or retired less than
// max_token_lifetime ago.
bool is_published(const StoredSigningKey& key, const RotationPolicy& policy, TimePoint now);

}  // namespace portier::oidc
