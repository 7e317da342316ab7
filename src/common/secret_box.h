#pragma once
// Secrets that must be read back (authenticator seeds, OIDC signing keys) are
// kept encrypted at rest: libsodium secretbox (XSalsa20-Poly1305) under a key
// derived from the server key with its own purpose, as
// base64(nonce || ciphertext). A copy of the database alone yields nothing;
// the server key opens every box, so it is what an operator must back up.
#include <string>
#include <string_view>

#include "common/random.h"
#include "common/result.h"
#include "common/secret_hasher.h"

namespace portier {

// `purpose` names the derived key ("totp-secret-key", "oidc-signing-key"...):
// a box of one kind never opens as another.
std::string seal_secret(const SecretHasher& secrets, std::string_view purpose, Random& random,
                        std::string_view plaintext);

// Internal error when the box is malformed or does not open (another server
// key, or tampering): an operator problem, never a member's.
Result<std::string> open_secret(const SecretHasher& secrets, std::string_view purpose, std::string_view box);

}  // namespace portier
