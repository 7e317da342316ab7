#pragma once
// The credentials portier makes for a registered client, and the one check
// of a presented secret (the token, introspection and revocation endpoints).
// A secret is shown once, when made; only its keyed hash is stored
// (SecretHasher, purpose "oidc-client-secret"), so a copy of the database
// yields no usable secret.
#include <string>
#include <string_view>

#include "common/random.h"
#include "common/secret_hasher.h"
#include "oidc/client.h"

namespace portier::oidc {

// 16 random bytes, base64url: 22 characters. Not a secret; unguessable so
// that a client_id says nothing about the others.
std::string generate_client_id(Random& random);
// 32 random bytes (256 bits), base64url: 43 characters.
std::string generate_client_secret(Random& random);

std::string hash_client_secret(const SecretHasher& secrets, std::string_view secret);

// True when `presented` is the client's current secret. False for clients
// without one (public, private_key_jwt) whatever is presented. Constant
// time in the digest comparison.
bool client_secret_matches(const SecretHasher& secrets, const Client& client, std::string_view presented);

// Whether the client authenticates with a secret portier generates.
bool uses_secret(const Client& client);

}  // namespace portier::oidc
