#include "federation/hs256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/encoding.h"
#include "oidc/jose/base64url.h"
#include "oidc/jose/jws.h"

namespace portier::federation {

namespace {

std::string mac(std::string_view input, std::string_view secret) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(input.data()),
       input.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

}  // namespace

Result<VerifiedHs256> verify_hs256(std::string_view jws, std::string_view secret) {
  auto first = jws.find('.');
  auto second = first == std::string_view::npos ? first : jws.find('.', first + 1);
  if (second == std::string_view::npos || jws.find('.', second + 1) != std::string_view::npos)
    return fail(ErrorCode::InvalidInput, "not a compact JWS");
  auto header = oidc::jose::peek_header(jws);
  if (!header) return tl::unexpected(header.error());
  const auto* alg = header->if_contains("alg");
  if (!alg || !alg->is_string() || alg->as_string() != "HS256") return fail(ErrorCode::InvalidInput, "alg is not HS256");
  if (header->contains("crit")) return fail(ErrorCode::InvalidInput, "critical header extensions not supported");
  if (secret.empty()) return fail(ErrorCode::InvalidInput, "no client secret to verify HS256 with");
  auto payload = oidc::jose::base64url_decode(jws.substr(first + 1, second - first - 1));
  auto signature = oidc::jose::base64url_decode(jws.substr(second + 1));
  if (!payload || !signature) return fail(ErrorCode::InvalidInput, "part is not base64url");
  auto expected = mac(jws.substr(0, second), secret);
  if (signature->size() != expected.size() || CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0)
    return fail(ErrorCode::InvalidInput, "bad signature");
  return VerifiedHs256{std::move(*payload)};
}

std::string sign_hs256(std::string_view payload_json, std::string_view secret) {
  auto input = base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." + base64url_encode(payload_json);
  return input + "." + base64url_encode(mac(input, secret));
}

}  // namespace portier::federation
