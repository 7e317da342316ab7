#pragma once
// A client's public key from its JWK (private_key_jwt client assertions,
// RFC 7523): RSA {n, e}, EC P-256 {x, y}, OKP Ed25519 {x}. The key is bound
// to one JWS algorithm like every SigningKey: the JWK's `alg` when present,
// otherwise the only one its kind serves. Private members are never read.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "oidc/jose/signing_key.h"

namespace portier::oidc::jose {

// InvalidInput for anything but a complete public key portier can verify with.
Result<SigningKey> public_key_from_jwk(const boost::json::object& jwk);

struct JwkSetKey {
  std::string kid;  // empty when the JWK has none
  SigningKey key;   // bound to the JWK's alg, or RS256 for an RSA JWK naming none
  bool alg_declared = false;
};
// The usable signature keys of a JWK Set ({"keys": [...]}); keys of other
// kinds or uses (`use` other than "sig") are skipped.
Result<std::vector<JwkSetKey>> public_keys_from_jwks(std::string_view jwks_json);

// The key for a token signed with `alg`: the key itself when bound to it, the
// same RSA key for PS256 (or RS256) when its JWK declares no alg (RFC 7517
// §4.4: alg is optional), nullopt otherwise (a declared alg is kept to).
std::optional<SigningKey> usable_for(const JwkSetKey& k, JwsAlg alg);

}  // namespace portier::oidc::jose
