#include "oidc/rotation_policy.h"

namespace portier::oidc {

Result<void> validate(const RotationPolicy& policy) {
  if (policy.max_token_lifetime <= Seconds(0) || policy.jwks_max_age <= Seconds(0))
    return fail(ErrorCode::InvalidInput, "token lifetime and JWKS cache time must be positive");
  if (policy.rotation_period < policy.publication_margin())
    return fail(ErrorCode::InvalidInput,
                "the key rotation period must be at least the longest token lifetime plus the JWKS cache time");
  return {};
}

std::vector<RotationStep> plan_rotation(const std::vector<StoredSigningKey>& keys, std::span<const jose::JwsAlg> algs,
                                        const RotationPolicy& policy, TimePoint now) {
  std::vector<RotationStep> steps;
  for (auto alg : algs) {
    const StoredSigningKey* active = nullptr;
    const StoredSigningKey* next = nullptr;
    for (const auto& k : keys) {
      if (k.alg != alg) continue;
      if (k.state == KeyState::Active) active = &k;
      if (k.state == KeyState::Next) next = &k;
    }
    if (!active) steps.push_back({RotationStep::Kind::CreateActive, alg});
    if (!next) steps.push_back({RotationStep::Kind::CreateNext, alg});
    if (!active || !next) continue;
    // A key activated without a time (should not happen) counts as activated
    // when it was made.
    auto active_since = active->activated_at.value_or(active->created_at);
    if (now >= active_since + policy.rotation_period && now >= next->created_at + policy.publication_margin())
      steps.push_back({RotationStep::Kind::Rotate, alg, active->kid, next->kid});
  }
  auto cutoff = now - policy.max_token_lifetime;
  for (const auto& k : keys)
    if (k.state == KeyState::Retired && k.retired_at.value_or(k.created_at) <= cutoff) {
      steps.push_back({RotationStep::Kind::DeleteRetired, k.alg, {}, {}, cutoff});
      break;
    }
  return steps;
}

bool is_published(const StoredSigningKey& key, const RotationPolicy& policy, TimePoint now) {
  if (key.state != KeyState::Retired) return true;
  return key.retired_at.value_or(key.created_at) + policy.max_token_lifetime > now;
}

}  // namespace portier::oidc
