#include "oidc/jose/jws.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/rsa.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/encoding.h"
#include "oidc/jose/base64url.h"
#include "oidc/jose/openssl_util.h"

namespace portier::oidc::jose {

namespace {

using detail::MdCtxPtr;
using detail::openssl_error;

constexpr size_t kEs256Half = 32;

// EdDSA hashes inside the algorithm: one-shot with no digest.
const EVP_MD* digest_of(JwsAlg alg) { return alg == JwsAlg::EdDSA ? nullptr : EVP_sha256(); }

// PS256 (RFC 7518 §3.5): PSS padding, MGF1 with the message digest, and a
// salt exactly the digest's length (32 bytes), on signing and on verifying: a
// PKCS#1 v1.5 signature or another salt length does not pass.
bool set_pss(EVP_PKEY_CTX* pctx) {
  return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
}

// OpenSSL's DER ECDSA-Sig-Value to JWS's R||S, each left-padded to 32 bytes.
Result<std::string> der_to_raw(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (!sig) return fail(ErrorCode::Internal, openssl_error("ECDSA signature"));
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  std::string raw(2 * kEs256Half, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  bool ok = BN_bn2binpad(r, out, kEs256Half) == kEs256Half && BN_bn2binpad(s, out + kEs256Half, kEs256Half) == kEs256Half;
  ECDSA_SIG_free(sig);
  if (!ok) return fail(ErrorCode::Internal, "ECDSA signature does not fit");
  return raw;
}

// JWS's R||S back to DER for EVP; nullopt when it is not 64 bytes.
std::optional<std::string> raw_to_der(std::string_view raw) {
  if (raw.size() != 2 * kEs256Half) return std::nullopt;
  const auto* in = reinterpret_cast<const unsigned char*>(raw.data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(in, kEs256Half, nullptr);
  BIGNUM* s = BN_bin2bn(in + kEs256Half, kEs256Half, nullptr);
  if (!sig || !r || !s || !ECDSA_SIG_set0(sig, r, s)) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

Result<boost::json::object> parse_object(std::string_view b64, const char* what) {
  auto bytes = base64url_decode(b64);
  if (!bytes) return fail(ErrorCode::InvalidInput, std::string(what) + " is not base64url");
  boost::system::error_code ec;
  auto value = boost::json::parse(*bytes, ec);
  if (ec || !value.is_object()) return fail(ErrorCode::InvalidInput, std::string(what) + " is not a JSON object");
  return value.as_object();
}

}  // namespace

Result<std::string> sign_bytes(const SigningKey& key, std::string_view signing_input) {
  if (!key.has_private()) return fail(ErrorCode::InvalidInput, "public key cannot sign");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, digest_of(key.alg()), nullptr, key.pkey()) != 1 ||
      (key.alg() == JwsAlg::PS256 && !set_pss(pctx)))
    return fail(ErrorCode::Internal, openssl_error("sign init"));
  const auto* in = reinterpret_cast<const unsigned char*>(signing_input.data());
  size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, in, signing_input.size()) != 1)
    return fail(ErrorCode::Internal, openssl_error("sign size"));
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in, signing_input.size()) != 1)
    return fail(ErrorCode::Internal, openssl_error("sign"));
  sig.resize(len);
  if (key.alg() == JwsAlg::ES256) return der_to_raw(sig);
  return sig;
}

Result<bool> verify_bytes(const SigningKey& key, std::string_view signing_input, std::string_view signature) {
  std::string der;
  if (key.alg() == JwsAlg::ES256) {
    auto converted = raw_to_der(signature);
    if (!converted) return false;
    der = std::move(*converted);
    signature = der;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, digest_of(key.alg()), nullptr, key.pkey()) != 1 ||
      (key.alg() == JwsAlg::PS256 && !set_pss(pctx)))
    return fail(ErrorCode::Internal, openssl_error("verify init"));
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                            reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  ERR_clear_error();  // a bad signature leaves an error queued; it is an answer, not a failure
  return rc == 1;
}

Result<std::string> sign_compact(const SigningKey& key, std::string_view kid, std::string_view payload,
                                 std::string_view typ) {
  boost::json::object header;
  header["alg"] = to_string(key.alg());
  header["kid"] = kid;
  if (!typ.empty()) header["typ"] = typ;
  std::string input = base64url_encode(boost::json::serialize(header)) + '.' + base64url_encode(payload);
  auto sig = sign_bytes(key, input);
  if (!sig) return tl::unexpected(sig.error());
  return input + '.' + base64url_encode(*sig);
}

Result<boost::json::object> peek_header(std::string_view jws) {
  auto dot = jws.find('.');
  if (dot == std::string_view::npos) return fail(ErrorCode::InvalidInput, "not a compact JWS");
  return parse_object(jws.substr(0, dot), "header");
}

Result<VerifiedJws> verify_compact(std::string_view jws, const SigningKey& key) {
  auto first = jws.find('.');
  auto second = first == std::string_view::npos ? first : jws.find('.', first + 1);
  if (second == std::string_view::npos || jws.find('.', second + 1) != std::string_view::npos)
    return fail(ErrorCode::InvalidInput, "not a compact JWS");
  auto header = parse_object(jws.substr(0, first), "header");
  if (!header) return tl::unexpected(header.error());
  const auto* alg = header->if_contains("alg");
  if (!alg || !alg->is_string()) return fail(ErrorCode::InvalidInput, "header has no alg");
  // parse_alg knows no `none`; and the key, not the token, decides the algorithm.
  auto parsed = parse_alg(std::string_view(alg->as_string()));
  if (!parsed || *parsed != key.alg()) return fail(ErrorCode::InvalidInput, "alg does not match the key");
  if (header->contains("crit")) return fail(ErrorCode::InvalidInput, "critical header extensions not supported");
  auto payload = base64url_decode(jws.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(jws.substr(second + 1));
  if (!payload || !signature) return fail(ErrorCode::InvalidInput, "part is not base64url");
  auto ok = verify_bytes(key, jws.substr(0, second), *signature);
  if (!ok) return tl::unexpected(ok.error());
  if (!*ok) return fail(ErrorCode::InvalidInput, "bad signature");
  return VerifiedJws{std::move(*header), std::move(*payload)};
}

}  // namespace portier::oidc::jose
