#pragma once
// The JWS algorithms portier signs with, and PS256, which it only verifies
// (an external provider's ID tokens, federation/). `none` is not one of them
// and never parses: a token without a signature is refused before any key is
// looked at.
#include <optional>
#include <string_view>

namespace portier::oidc::jose {

enum class JwsAlg {
  RS256,  // RSASSA-PKCS1-v1_5 with SHA-256: the ID-token default, every client accepts it
  ES256,  // ECDSA P-256 with SHA-256
  EdDSA,  // Ed25519 (RFC 8037)
  PS256,  // RSASSA-PSS with SHA-256, MGF1 SHA-256, 32-byte salt (RFC 7518 §3.5): verified, and a federation client assertion
};

// The algorithms portier's own provider keeps keys for and signs ID tokens with.
inline constexpr JwsAlg kAllAlgs[] = {JwsAlg::RS256, JwsAlg::ES256, JwsAlg::EdDSA};
// Every algorithm a signature can be checked with.
inline constexpr JwsAlg kVerifiableAlgs[] = {JwsAlg::RS256, JwsAlg::ES256, JwsAlg::EdDSA, JwsAlg::PS256};

// RS256 and PS256 both take an RSA key: a JWK that names neither serves both.
inline constexpr bool is_rsa(JwsAlg alg) { return alg == JwsAlg::RS256 || alg == JwsAlg::PS256; }

std::string_view to_string(JwsAlg alg);
// Exact, case-sensitive names as JOSE registers them; anything else (`none`,
// `HS256`, `rs256`) is nullopt.
std::optional<JwsAlg> parse_alg(std::string_view name);

}  // namespace portier::oidc::jose
