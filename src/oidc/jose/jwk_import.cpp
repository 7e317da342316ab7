#include "oidc/jose/jwk_import.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <boost/json/parse.hpp>

#include "oidc/jose/base64url.h"
#include "oidc/jose/openssl_util.h"

namespace portier::oidc::jose {

namespace {

using detail::BioPtr;
using detail::openssl_error;

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct CtxFree { void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); } };
struct BldFree { void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); } };
struct ParamFree { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };
struct BnFree { void operator()(BIGNUM* b) const { BN_free(b); } };
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

std::optional<std::string> member(const boost::json::object& jwk, std::string_view name) {
  auto* v = jwk.if_contains(name);
  if (!v || !v->is_string()) return std::nullopt;
  return base64url_decode(v->get_string());
}

std::string text(const boost::json::object& jwk, std::string_view name) {
  auto* v = jwk.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// EVP_PKEY_fromdata over the parameters `build` adds.
template <typename Build>
Result<PkeyPtr> from_data(const char* type, Build build) {
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  std::vector<BnPtr> keep;
  if (!bld || !build(bld.get(), keep)) return fail(ErrorCode::InvalidInput, "JWK: bad key parameters");
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
    return fail(ErrorCode::InvalidInput, openssl_error("JWK: not a usable public key"));
  return PkeyPtr(raw);
}

BIGNUM* bignum(const std::string& bytes, std::vector<BnPtr>& keep) {
  auto* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr);
  if (bn) keep.emplace_back(bn);
  return bn;
}

}  // namespace

Result<SigningKey> public_key_from_jwk(const boost::json::object& jwk) {
  auto kty = text(jwk, "kty");
  auto alg_name = text(jwk, "alg");
  Result<PkeyPtr> pkey = fail(ErrorCode::InvalidInput, "JWK: unsupported kty");
  JwsAlg alg = JwsAlg::RS256;
  if (kty == "RSA") {
    auto n = member(jwk, "n"), e = member(jwk, "e");
    if (!n || !e || n->empty() || e->empty()) return fail(ErrorCode::InvalidInput, "JWK: RSA key without n or e");
    pkey = from_data("RSA", [&](OSSL_PARAM_BLD* b, std::vector<BnPtr>& keep) {
      auto* bn_n = bignum(*n, keep);
      auto* bn_e = bignum(*e, keep);
      return bn_n && bn_e && OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
             OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, bn_e);
    });
  } else if (kty == "EC") {
    auto x = member(jwk, "x"), y = member(jwk, "y");
    if (text(jwk, "crv") != "P-256" || !x || !y || x->size() != 32 || y->size() != 32)
      return fail(ErrorCode::InvalidInput, "JWK: EC keys must be P-256 with 32-byte x and y");
    alg = JwsAlg::ES256;
    std::string point = "\x04" + *x + *y;  // uncompressed SEC1 point
    pkey = from_data("EC", [&](OSSL_PARAM_BLD* b, std::vector<BnPtr>&) {
      return OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
             OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    });
  } else if (kty == "OKP") {
    auto x = member(jwk, "x");
    if (text(jwk, "crv") != "Ed25519" || !x || x->size() != 32)
      return fail(ErrorCode::InvalidInput, "JWK: OKP keys must be Ed25519 with a 32-byte x");
    alg = JwsAlg::EdDSA;
    EVP_PKEY* raw = EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr,
                                                   reinterpret_cast<const unsigned char*>(x->data()), x->size());
    if (!raw) return fail(ErrorCode::InvalidInput, openssl_error("JWK: bad Ed25519 key"));
    pkey = PkeyPtr(raw);
  }
  if (!pkey) return tl::unexpected(pkey.error());
  if (!alg_name.empty()) {
    auto named = parse_alg(alg_name);
    // An RSA key may be declared for PS256 instead of RS256.
    if (named && is_rsa(*named) && is_rsa(alg)) alg = *named;
    if (!named || *named != alg) return fail(ErrorCode::InvalidInput, "JWK: alg does not fit the key");
  }
  // Through SPKI PEM into SigningKey::from_pem, which checks the kind and
  // size of the key for the algorithm in one place.
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PUBKEY(bio.get(), pkey->get())) return fail(ErrorCode::Internal, openssl_error("PEM export"));
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0) return fail(ErrorCode::Internal, "empty PEM");
  return SigningKey::from_pem(alg, std::string_view(data, static_cast<size_t>(len)));
}

Result<std::vector<JwkSetKey>> public_keys_from_jwks(std::string_view jwks_json) {
  boost::system::error_code ec;
  auto v = boost::json::parse(jwks_json, ec);
  if (ec || !v.is_object()) return fail(ErrorCode::InvalidInput, "JWK Set: not a JSON object");
  auto* keys = v.get_object().if_contains("keys");
  if (!keys || !keys->is_array()) return fail(ErrorCode::InvalidInput, "JWK Set: no keys");
  std::vector<JwkSetKey> out;
  for (auto& k : keys->get_array()) {
    if (!k.is_object()) continue;
    auto& o = k.get_object();
    if (auto use = text(o, "use"); !use.empty() && use != "sig") continue;
    auto key = public_key_from_jwk(o);
    if (!key) continue;
    out.push_back({text(o, "kid"), std::move(*key), !text(o, "alg").empty()});
  }
  return out;
}

std::optional<SigningKey> usable_for(const JwkSetKey& k, JwsAlg alg) {
  if (k.key.alg() == alg) return k.key;
  if (k.alg_declared || !is_rsa(alg) || !is_rsa(k.key.alg())) return std::nullopt;
  auto rebound = k.key.bound_to(alg);
  if (!rebound) return std::nullopt;
  return std::move(*rebound);
}

}  // namespace portier::oidc::jose
