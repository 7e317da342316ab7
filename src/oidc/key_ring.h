#pragma once
// The provider's signing keys as the rest of portier sees them: the active
// key of an algorithm to sign with, a key by `kid` to verify with, and the
// JWKS. `maintain()` applies the rotation policy (oidc/rotation_policy.h)
// through the store; every node may call it at any time (at start, then
// periodically): the store's conditional writes make the cluster converge on
// one active and one next key per algorithm whoever calls first.
#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "common/secret_hasher.h"
#include "oidc/jose/signing_key.h"
#include "oidc/rotation_policy.h"
#include "oidc/signing_key_store.h"

namespace portier::oidc {

// The server-key derivation that seals private signing keys.
inline constexpr std::string_view kSigningKeyBoxPurpose = "oidc-signing-key-encryption";

struct ActiveKey {
  std::string kid;
  jose::SigningKey key;
};

class KeyRing {
public:
  using Generator = std::function<Result<jose::SigningKey>(jose::JwsAlg)>;

  // `algs`: the algorithms that get keys (RS256 always, for ID tokens).
  KeyRing(SigningKeyStore& store, const SecretHasher& secrets, Random& random, const Clock& clock,
          RotationPolicy policy, std::vector<jose::JwsAlg> algs, Generator generate = jose::SigningKey::generate);

  // Creates, rotates and deletes keys as the policy says at the clock's now.
  Result<void> maintain();

  // The key that signs for `alg` now (NotFound before the first maintain()).
  Result<ActiveKey> active(jose::JwsAlg alg);
  // A published key by kid, to verify a token portier signed (id_token_hint).
  Result<jose::SigningKey> by_kid(std::string_view kid);
  // {"keys": [...]}: the public JWK of every published key.
  Result<boost::json::object> jwks();

  const RotationPolicy& policy() const { return policy_; }

private:
  Result<StoredSigningKey> make_key(jose::JwsAlg alg, KeyState state);
  Result<jose::SigningKey> open(const StoredSigningKey& stored);

  SigningKeyStore& store_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  RotationPolicy policy_;
  std::vector<jose::JwsAlg> algs_;
  Generator generate_;
  // Opened keys by kid: a kid names one key forever (it is its thumbprint),
  // so an entry never goes stale; a deleted key is simply never asked again.
  std::mutex mutex_;
  std::map<std::string, jose::SigningKey, std::less<>> opened_;
};

}  // namespace portier::oidc
