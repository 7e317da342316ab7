#pragma once
// The JWS algorithms portier signs with. `none` is not one of them and never
// parses: a token without a signature is refused before any key is looked at.
#include <optional>
#include <string_view>

namespace portier::oidc::jose {

enum class JwsAlg {
  RS256,  // RSASSA-PKCS1-v1_5 with SHA-256: the ID-token default, every client accepts it
  ES256,  // ECDSA P-256 with SHA-256
  EdDSA,  // Ed25519 (RFC 8037)
};

inline constexpr JwsAlg kAllAlgs[] = {JwsAlg::RS256, JwsAlg::ES256, JwsAlg::EdDSA};

std::string_view to_string(JwsAlg alg);
// Exact, case-sensitive names as JOSE registers them; anything else (`none`,
// `HS256`, `rs256`) is nullopt.
std::optional<JwsAlg> parse_alg(std::string_view name);

}  // namespace portier::oidc::jose
