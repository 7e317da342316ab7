#pragma once
// HS256 JWS verification with a shared secret (RFC 7518 §3.2), for UserInfo
// answers a provider signs with the client secret. Only here: portier's own
// tokens and a provider's ID tokens are verified with public keys only.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace portier::federation {

struct VerifiedHs256 {
  std::string payload;
};

// InvalidInput unless `jws` is a compact JWS whose header says exactly
// alg=HS256, has no crit, and whose MAC over header.payload under `secret`
// matches (compared in constant time).
Result<VerifiedHs256> verify_hs256(std::string_view jws, std::string_view secret);

// header.payload.mac, for tests and the mock's counterpart.
std::string sign_hs256(std::string_view payload_json, std::string_view secret);

}  // namespace portier::federation
