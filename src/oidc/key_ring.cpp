#include "oidc/key_ring.h"

#include <sodium.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/secret_box.h"
#include "oidc/jose/jwk.h"

namespace portier::oidc {

KeyRing::KeyRing(SigningKeyStore& store, const SecretHasher& secrets, Random& random, const Clock& clock,
                 RotationPolicy policy, std::vector<jose::JwsAlg> algs, Generator generate)
    : store_(store),
      secrets_(secrets),
      random_(random),
      clock_(clock),
      policy_(policy),
      algs_(std::move(algs)),
      generate_(std::move(generate)) {}

Result<StoredSigningKey> KeyRing::make_key(jose::JwsAlg alg, KeyState state) {
  auto key = generate_(alg);
  if (!key) return tl::unexpected(key.error());
  auto kid = jose::jwk_thumbprint(*key);
  if (!kid) return tl::unexpected(kid.error());
  auto jwk = jose::public_jwk(*key, *kid);
  if (!jwk) return tl::unexpected(jwk.error());
  auto pem = key->private_pem();
  if (!pem) return tl::unexpected(pem.error());
  StoredSigningKey stored;
  stored.kid = *kid;
  stored.alg = alg;
  stored.state = state;
  stored.public_jwk = boost::json::serialize(*jwk);
  stored.private_box = seal_secret(secrets_, kSigningKeyBoxPurpose, random_, *pem);
  sodium_memzero(pem->data(), pem->size());
  stored.created_at = clock_.now();
  if (state == KeyState::Active) stored.activated_at = stored.created_at;
  return stored;
}

Result<void> KeyRing::maintain() {
  auto keys = store_.list();
  if (!keys) return tl::unexpected(keys.error());
  auto now = clock_.now();
  for (const auto& step : plan_rotation(*keys, algs_, policy_, now)) {
    using Kind = RotationStep::Kind;
    switch (step.kind) {
      case Kind::CreateActive:
      case Kind::CreateNext: {
        auto made = make_key(step.alg, step.kind == Kind::CreateActive ? KeyState::Active : KeyState::Next);
        if (!made) return tl::unexpected(made.error());
        // Losing the race to another node is fine: its key is as good.
        if (auto r = store_.insert_if_free(*made); !r) return tl::unexpected(r.error());
        break;
      }
      case Kind::Rotate: {
        auto made = make_key(step.alg, KeyState::Next);
        if (!made) return tl::unexpected(made.error());
        if (auto r = store_.rotate(step.active_kid, step.next_kid, *made, now); !r) return tl::unexpected(r.error());
        break;
      }
      case Kind::DeleteRetired:
        if (auto r = store_.delete_retired(step.cutoff); !r) return tl::unexpected(r.error());
        break;
    }
  }
  return {};
}

Result<jose::SigningKey> KeyRing::open(const StoredSigningKey& stored) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = opened_.find(stored.kid); it != opened_.end()) return it->second;
  }
  auto pem = open_secret(secrets_, kSigningKeyBoxPurpose, stored.private_box);
  if (!pem) return tl::unexpected(pem.error());
  auto key = jose::SigningKey::from_pem(stored.alg, *pem);
  sodium_memzero(pem->data(), pem->size());
  if (!key) return fail(ErrorCode::Internal, "stored signing key " + stored.kid + ": " + key.error().detail);
  std::lock_guard lock(mutex_);
  opened_.emplace(stored.kid, *key);
  return key;
}

Result<ActiveKey> KeyRing::active(jose::JwsAlg alg) {
  auto keys = store_.list();
  if (!keys) return tl::unexpected(keys.error());
  for (const auto& k : *keys)
    if (k.alg == alg && k.state == KeyState::Active) {
      auto key = open(k);
      if (!key) return tl::unexpected(key.error());
      return ActiveKey{k.kid, std::move(*key)};
    }
  return fail(ErrorCode::NotFound, std::string("no active ") + std::string(jose::to_string(alg)) + " key");
}

Result<jose::SigningKey> KeyRing::by_kid(std::string_view kid) {
  auto keys = store_.list();
  if (!keys) return tl::unexpected(keys.error());
  auto now = clock_.now();
  for (const auto& k : *keys)
    if (k.kid == kid && is_published(k, policy_, now)) return open(k);
  return fail(ErrorCode::NotFound, "no published key with this kid");
}

Result<boost::json::object> KeyRing::jwks() {
  auto keys = store_.list();
  if (!keys) return tl::unexpected(keys.error());
  auto now = clock_.now();
  boost::json::array list;
  for (const auto& k : *keys) {
    if (!is_published(k, policy_, now)) continue;
    boost::system::error_code ec;
    auto jwk = boost::json::parse(k.public_jwk, ec);
    if (ec || !jwk.is_object()) return fail(ErrorCode::Internal, "stored JWK " + k.kid + " is not a JSON object");
    list.push_back(std::move(jwk));
  }
  boost::json::object out;
  out["keys"] = std::move(list);
  return out;
}

}  // namespace portier::oidc
