#pragma once
// The public half of a signing key as a JWK (RFC 7517/7518/8037) and its
// RFC 7638 thumbprint, which portier uses as the key's `kid`: derived from the
// key itself, so every node names a key the same way and a kid can never
// point at two keys.
#include <boost/json/object.hpp>
#include <string>

#include "common/result.h"
#include "oidc/jose/signing_key.h"

namespace portier::oidc::jose {

// {"kty":"RSA","n","e"} | {"kty":"EC","crv":"P-256","x","y"} |
// {"kty":"OKP","crv":"Ed25519","x"}, plus "kid", "alg" and "use":"sig".
// Never any private member.
Result<boost::json::object> public_jwk(const SigningKey& key, std::string_view kid);

// base64url(SHA-256(the required members in lexicographic order, no spaces)).
Result<std::string> jwk_thumbprint(const SigningKey& key);

}  // namespace portier::oidc::jose
