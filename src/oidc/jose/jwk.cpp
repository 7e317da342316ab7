#include "oidc/jose/jwk.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>

#include <vector>

#include "common/encoding.h"
#include "oidc/jose/openssl_util.h"

namespace portier::oidc::jose {

namespace {

using detail::openssl_error;

// A big-endian unsigned integer parameter; `width` > 0 pads to a fixed size
// (EC coordinates are always 32 bytes for P-256, RFC 7518 §6.2.1.2), 0 gives
// the minimal form (RSA n and e, RFC 7518 §6.3.1).
Result<std::string> bn_param(EVP_PKEY* pkey, const char* name, int width) {
  BIGNUM* bn = nullptr;
  if (!EVP_PKEY_get_bn_param(pkey, name, &bn)) return fail(ErrorCode::Internal, openssl_error(name));
  int size = width > 0 ? width : BN_num_bytes(bn);
  std::string out(static_cast<size_t>(size), '\0');
  int written = BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), size);
  BN_free(bn);
  if (written != size) return fail(ErrorCode::Internal, std::string(name) + " does not fit");
  return base64url_encode(out);
}

struct Members {
  // In RFC 7638's lexicographic order of names.
  std::vector<std::pair<std::string, std::string>> required;
};

Result<Members> required_members(const SigningKey& key) {
  EVP_PKEY* pkey = key.pkey();
  Members m;
  switch (key.alg()) {
    case JwsAlg::RS256:
    case JwsAlg::PS256: {
      auto e = bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, 0);
      auto n = bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, 0);
      if (!e) return tl::unexpected(e.error());
      if (!n) return tl::unexpected(n.error());
      m.required = {{"e", *e}, {"kty", "RSA"}, {"n", *n}};
      return m;
    }
    case JwsAlg::ES256: {
      auto x = bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, 32);
      auto y = bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, 32);
      if (!x) return tl::unexpected(x.error());
      if (!y) return tl::unexpected(y.error());
      m.required = {{"crv", "P-256"}, {"kty", "EC"}, {"x", *x}, {"y", *y}};
      return m;
    }
    case JwsAlg::EdDSA: {
      std::string raw(32, '\0');
      size_t len = raw.size();
      if (!EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(raw.data()), &len) || len != 32)
        return fail(ErrorCode::Internal, openssl_error("Ed25519 public key"));
      m.required = {{"crv", "Ed25519"}, {"kty", "OKP"}, {"x", base64url_encode(raw)}};
      return m;
    }
  }
  return fail(ErrorCode::Internal, "unknown algorithm");
}

}  // namespace

Result<boost::json::object> public_jwk(const SigningKey& key, std::string_view kid) {
  auto members = required_members(key);
  if (!members) return tl::unexpected(members.error());
  boost::json::object jwk;
  for (auto& [name, value] : members->required) jwk[name] = value;
  jwk["kid"] = kid;
  jwk["alg"] = to_string(key.alg());
  jwk["use"] = "sig";
  return jwk;
}

Result<std::string> jwk_thumbprint(const SigningKey& key) {
  auto members = required_members(key);
  if (!members) return tl::unexpected(members.error());
  // Every value is base64url or a fixed name: nothing to escape.
  std::string canonical = "{";
  for (auto& [name, value] : members->required) {
    if (canonical.size() > 1) canonical += ',';
    canonical += '"' + name + "\":\"" + value + '"';
  }
  canonical += '}';
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(canonical.data(), canonical.size(), digest, &len, EVP_sha256(), nullptr))
    return fail(ErrorCode::Internal, openssl_error("SHA-256"));
  return base64url_encode(std::string_view(reinterpret_cast<char*>(digest), len));
}

}  // namespace portier::oidc::jose
