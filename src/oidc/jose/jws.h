#pragma once
// Compact JWS (RFC 7515) signed and verified through OpenSSL 3 EVP, header
// and payload through Boost.JSON. Verification trusts the key, never the
// token: the header's `alg` must be exactly the key's algorithm (no `none`,
// no switching RS256 to HS256 or to another curve), `crit` is refused (we
// understand no extension), and each part must be strict base64url.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/result.h"
#include "oidc/jose/signing_key.h"

namespace portier::oidc::jose {

// The signature over `signing_input` in the form JWS carries: RSA's k bytes,
// ECDSA's fixed 64-byte R||S (RFC 7518 §3.4, not OpenSSL's DER), Ed25519's 64.
Result<std::string> sign_bytes(const SigningKey& key, std::string_view signing_input);
// False for a bad signature (including a malformed one); an error only when
// OpenSSL itself fails.
Result<bool> verify_bytes(const SigningKey& key, std::string_view signing_input, std::string_view signature);

// header.payload.signature with a header {"alg", "kid"[, "typ"]}.
Result<std::string> sign_compact(const SigningKey& key, std::string_view kid, std::string_view payload,
                                 std::string_view typ = {});

struct VerifiedJws {
  boost::json::object header;
  std::string payload;
};

// InvalidInput for anything but a well-formed JWS signed by `key` with its algorithm.
Result<VerifiedJws> verify_compact(std::string_view jws, const SigningKey& key);

// The protected header, unverified: to choose a key by `kid` before verifying.
Result<boost::json::object> peek_header(std::string_view jws);

}  // namespace portier::oidc::jose
