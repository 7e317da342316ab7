#pragma once
// Reads the `id_token_hint` of an RP-initiated logout request (OpenID
// Connect RP-Initiated Logout 1.0 §2): an ID token portier issued, checked
// against the key ring by its `kid`. Expiry does not matter (§4: the hint
// of a session that timed out at the application is still a good hint);
// the signature, the `iss` and an `aud` do.
#include <string>
#include <string_view>

#include "common/result.h"
#include "oidc/key_ring.h"

namespace portier::oidc {

struct IdTokenHint {
  std::string client_id;  // the `aud` (or `azp` when `aud` lists several)
  std::string subject;    // `sub`
  std::string sid;        // `sid`; empty when the token has none
};

// InvalidInput for anything but a JWS signed by one of our published keys
// with `iss` equal to `issuer` and an audience.
Result<IdTokenHint> verify_id_token_hint(std::string_view token, KeyRing& keys, std::string_view issuer);

}  // namespace portier::oidc
