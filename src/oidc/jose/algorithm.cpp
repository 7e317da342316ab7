#include "oidc/jose/algorithm.h"

namespace portier::oidc::jose {

std::string_view to_string(JwsAlg alg) {
  switch (alg) {
    case JwsAlg::RS256: return "RS256";
    case JwsAlg::ES256: return "ES256";
    case JwsAlg::EdDSA: return "EdDSA";
    case JwsAlg::PS256: return "PS256";
  }
  return "?";
}

std::optional<JwsAlg> parse_alg(std::string_view name) {
  for (auto alg : kVerifiableAlgs)
    if (to_string(alg) == name) return alg;
  return std::nullopt;
}

}  // namespace portier::oidc::jose
