#include "federation/key_set_cache.h"

namespace portier::federation {

Result<std::size_t> KeySetCache::refresh(const std::string& jwks_uri) {
  std::lock_guard lock(mutex_);
  return refresh_locked(jwks_uri);
}

Result<std::size_t> KeySetCache::refresh_locked(const std::string& jwks_uri) {
  auto answer = http_.fetch(HttpCall{"GET", jwks_uri, {{"Accept", "application/json"}}, {}});
  if (!answer) return tl::unexpected(answer.error());
  if (answer->status != 200)
    return fail(ErrorCode::Unavailable, "jwks_uri answered HTTP " + std::to_string(answer->status));
  auto keys = oidc::jose::public_keys_from_jwks(answer->body);
  if (!keys) return fail(ErrorCode::InvalidInput, "jwks_uri: " + keys.error().detail);
  // A fetched set replaces the old one whole: a key the provider withdrew is
  // withdrawn here too.
  keys_ = std::move(*keys);
  uri_ = jwks_uri;
  fetched_at_ = clock_.now();
  return keys_.size();
}

std::optional<oidc::jose::SigningKey> KeySetCache::find_locked(std::string_view kid, std::string_view alg) const {
  auto wanted = oidc::jose::parse_alg(alg);
  std::optional<oidc::jose::SigningKey> only;
  int of_alg = 0;
  for (const auto& k : keys_) {
    if (!kid.empty() && k.kid == kid) {
      // The key named, for the token's algorithm when it serves it (an RSA
      // JWK without alg serves RS256 and PS256); else as it is, and the
      // signature check refuses the algorithm mismatch.
      if (wanted)
        if (auto usable = oidc::jose::usable_for(k, *wanted)) return usable;
      return k.key;
    }
    if (kid.empty() && wanted)
      if (auto usable = oidc::jose::usable_for(k, *wanted)) {
        only = std::move(usable);
        ++of_alg;
      }
  }
  // Without a kid, a key is chosen only when there is no doubt about which.
  if (kid.empty() && of_alg == 1) return only;
  return std::nullopt;
}

Result<oidc::jose::SigningKey> KeySetCache::key_for(const std::string& jwks_uri, std::string_view kid,
                                                     std::string_view alg) {
  std::lock_guard lock(mutex_);
  bool fetched = false;
  if (uri_ != jwks_uri || keys_.empty() || clock_.now() - fetched_at_ >= kMaxAge) {
    auto r = refresh_locked(jwks_uri);
    if (!r) return tl::unexpected(r.error());
    fetched = true;
  }
  if (auto key = find_locked(kid, alg)) return *key;
  if (!fetched) {  // unknown kid: the provider may have rotated; ask once
    auto r = refresh_locked(jwks_uri);
    if (!r) return tl::unexpected(r.error());
    if (auto key = find_locked(kid, alg)) return *key;
  }
  return fail(ErrorCode::NotFound, "no key \"" + std::string(kid) + "\" for " + std::string(alg) + " in the provider's JWKS");
}

}  // namespace portier::federation
