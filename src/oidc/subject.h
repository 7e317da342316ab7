#pragma once
// The `sub` of a member in every token: stable for the account's life,
// the same for every application (public subject type), and neither the
// database id nor the identifier in clear: a keyed hash of the id under the
// server key, so it reveals nothing and cannot be guessed from outside.
#include <string>

#include "account/account.h"
#include "common/secret_hasher.h"

namespace portier::oidc {

std::string subject_of(const SecretHasher& secrets, AccountId account);

// The provider's issuer identifier: server.public_url without a trailing
// slash, exactly as tokens and discovery carry it.
std::string issuer_of(std::string_view public_url);

}  // namespace portier::oidc
