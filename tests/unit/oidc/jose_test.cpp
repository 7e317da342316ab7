#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/encoding.h"
#include "oidc/jose/base64url.h"
#include "oidc/jose/jwk.h"
#include "oidc/jose/jws.h"
#include "unit/oidc/rfc_vectors.h"

namespace portier::oidc::jose {
namespace {

using namespace portier::oidc::test;

SigningKey load(JwsAlg alg, std::string_view pem) {
  auto key = SigningKey::from_pem(alg, pem);
  EXPECT_TRUE(key) << (key ? "" : key.error().detail);
  return *key;
}

std::string rfc7515_input(std::string_view header_b64) {
  return std::string(header_b64) + "." + std::string(kRfc7515PayloadB64);
}

// RFC 7515 A.2: RSASSA-PKCS1-v1_5 is deterministic, so our signature must be
// the RFC's, byte for byte.
TEST(Jose, RS256SignatureIsExactlyTheRfc7515A2One) {
  auto key = load(JwsAlg::RS256, kRfc7515RsaPrivatePem);
  auto input = rfc7515_input("eyJhbGciOiJSUzI1NiJ9");
  auto sig = sign_bytes(key, input);
  ASSERT_TRUE(sig) << sig.error().detail;
  EXPECT_EQ(base64url_encode(*sig), kRfc7515A2Signature);
  auto verified = verify_compact(input + "." + std::string(kRfc7515A2Signature), key);
  ASSERT_TRUE(verified) << verified.error().detail;
  EXPECT_EQ(verified->header.at("alg").as_string(), "RS256");
  EXPECT_NE(verified->payload.find("\"iss\":\"joe\""), std::string::npos);
}

// RFC 7515 A.3: ECDSA is randomised; the RFC's signature (R||S) verifies
// with the public key alone, and ours verifies and is 64 bytes.
TEST(Jose, ES256VerifiesTheRfc7515A3SignatureAndOursRoundTrips) {
  auto pub = load(JwsAlg::ES256, kRfc7515EcPublicPem);
  EXPECT_FALSE(pub.has_private());
  auto input = rfc7515_input("eyJhbGciOiJFUzI1NiJ9");
  ASSERT_TRUE(verify_compact(input + "." + std::string(kRfc7515A3Signature), pub));

  auto key = load(JwsAlg::ES256, kRfc7515EcPrivatePem);
  auto sig = sign_bytes(key, input);
  ASSERT_TRUE(sig);
  EXPECT_EQ(sig->size(), 64u);
  EXPECT_TRUE(*verify_bytes(pub, input, *sig));
  // A flipped bit is a bad signature, not an error.
  auto bad = *sig;
  bad[10] ^= 1;
  EXPECT_FALSE(*verify_bytes(pub, input, bad));
  EXPECT_FALSE(*verify_bytes(pub, input, sig->substr(0, 63)));
}

// RFC 8037 A.4: Ed25519 is deterministic: the exact signature.
TEST(Jose, EdDSASignatureIsExactlyTheRfc8037One) {
  auto key = load(JwsAlg::EdDSA, kRfc8037Ed25519PrivatePem);
  std::string_view jws = kRfc8037Jws;
  auto last = jws.rfind('.');
  auto sig = sign_bytes(key, jws.substr(0, last));
  ASSERT_TRUE(sig) << sig.error().detail;
  EXPECT_EQ(base64url_encode(*sig), jws.substr(last + 1));
  auto verified = verify_compact(jws, key);
  ASSERT_TRUE(verified) << verified.error().detail;
  EXPECT_EQ(verified->payload, "Example of Ed25519 signing");
}

TEST(Jose, ThumbprintIsTheRfc7638Example) {
  auto key = load(JwsAlg::RS256, kRfc7638RsaPublicPem);
  EXPECT_EQ(*jwk_thumbprint(key), kRfc7638Thumbprint);
}

// RFC 8037 A.2/A.3: the Ed25519 public JWK and its thumbprint.
TEST(Jose, Ed25519JwkAndThumbprintAreTheRfc8037Ones) {
  auto key = load(JwsAlg::EdDSA, kRfc8037Ed25519PrivatePem);
  auto jwk = public_jwk(key, "k1");
  ASSERT_TRUE(jwk);
  EXPECT_EQ(jwk->at("kty").as_string(), "OKP");
  EXPECT_EQ(jwk->at("crv").as_string(), "Ed25519");
  EXPECT_EQ(jwk->at("x").as_string(), "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
  EXPECT_EQ(*jwk_thumbprint(key), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

TEST(Jose, PublicJwksCarryNoPrivateMember) {
  auto rsa = public_jwk(load(JwsAlg::RS256, kRfc7515RsaPrivatePem), "r");
  ASSERT_TRUE(rsa);
  EXPECT_EQ(rsa->at("e").as_string(), "AQAB");
  EXPECT_EQ(std::string_view(rsa->at("n").as_string()).substr(0, 16), "ofgWCuLjybRlzo0t");
  auto ec = public_jwk(load(JwsAlg::ES256, kRfc7515EcPrivatePem), "e");
  ASSERT_TRUE(ec);
  EXPECT_EQ(ec->at("x").as_string(), "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU");
  EXPECT_EQ(ec->at("y").as_string(), "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
  for (const auto* jwk : {&*rsa, &*ec}) {
    for (const char* secret : {"d", "p", "q", "dp", "dq", "qi"}) EXPECT_FALSE(jwk->contains(secret)) << secret;
    EXPECT_EQ(jwk->at("use").as_string(), "sig");
  }
  EXPECT_EQ(rsa->at("alg").as_string(), "RS256");
  EXPECT_EQ(ec->at("kid").as_string(), "e");
}

TEST(Jose, GeneratedKeysSignAndVerifyCompactJws) {
  for (auto alg : kAllAlgs) {
    auto key = SigningKey::generate(alg);
    ASSERT_TRUE(key) << key.error().detail;
    if (alg == JwsAlg::RS256) {
      EXPECT_EQ(EVP_PKEY_get_bits(key->pkey()), kRsaBits);
    }
    auto kid = *jwk_thumbprint(*key);
    auto jws = sign_compact(*key, kid, R"({"sub":"42"})", "JWT");
    ASSERT_TRUE(jws) << jws.error().detail;
    auto header = peek_header(*jws);
    ASSERT_TRUE(header);
    EXPECT_EQ(header->at("kid").as_string(), kid);
    EXPECT_EQ(header->at("alg").as_string(), to_string(alg));
    EXPECT_EQ(header->at("typ").as_string(), "JWT");
    // The private key survives its PEM round trip (what the store keeps).
    auto reloaded = SigningKey::from_pem(alg, *key->private_pem());
    ASSERT_TRUE(reloaded);
    auto verified = verify_compact(*jws, *reloaded);
    ASSERT_TRUE(verified) << verified.error().detail;
    EXPECT_EQ(verified->payload, R"({"sub":"42"})");
    auto public_only = SigningKey::from_pem(alg, *key->public_pem());
    ASSERT_TRUE(public_only);
    EXPECT_TRUE(verify_compact(*jws, *public_only));
    EXPECT_FALSE(sign_bytes(*public_only, "x"));
  }
}

std::string with_header(std::string_view header_json, std::string_view rest_of_jws) {
  return base64url_encode(header_json) + std::string(rest_of_jws.substr(rest_of_jws.find('.')));
}

TEST(Jose, VerifyRefusesNoneAndAnyAlgorithmTheKeyIsNot) {
  auto key = load(JwsAlg::EdDSA, kRfc8037Ed25519PrivatePem);
  auto good = *sign_compact(key, "k", "payload");
  ASSERT_TRUE(verify_compact(good, key));
  // `none`, with or without a signature part.
  auto none = base64url_encode(R"({"alg":"none"})") + "." + base64url_encode("payload") + ".";
  EXPECT_EQ(verify_compact(none, key).error().code, ErrorCode::InvalidInput);
  EXPECT_FALSE(verify_compact(with_header(R"({"alg":"none"})", good), key));
  // Another algorithm named in the header, the key's one in another case,
  // no alg, alg not a string, an unknown critical extension.
  for (auto header : {R"({"alg":"ES256"})", R"({"alg":"HS256"})", R"({"alg":"eddsa"})", R"({"kid":"k"})",
                      R"({"alg":1})", R"({"alg":"EdDSA","crit":["exp"],"exp":1})"})
    EXPECT_FALSE(verify_compact(with_header(header, good), key)) << header;
  // A key of the right family but another algorithm's binding is refused at load.
  EXPECT_FALSE(SigningKey::from_pem(JwsAlg::ES256, kRfc8037Ed25519PrivatePem));
  EXPECT_FALSE(SigningKey::from_pem(JwsAlg::RS256, kRfc7515EcPrivatePem));
  EXPECT_FALSE(SigningKey::from_pem(JwsAlg::EdDSA, "not a key"));
  // An RS256 token against an ES256 key.
  auto ec = load(JwsAlg::ES256, kRfc7515EcPublicPem);
  EXPECT_FALSE(verify_compact(rfc7515_input("eyJhbGciOiJSUzI1NiJ9") + "." + std::string(kRfc7515A2Signature), ec));
}

TEST(Jose, VerifyRefusesMalformedAndTamperedTokens) {
  auto key = load(JwsAlg::ES256, kRfc7515EcPrivatePem);
  auto good = *sign_compact(key, "k", "payload");
  for (std::string bad : {std::string(), std::string("a"), std::string("a.b"), std::string(".."), good + ".x",
                          good + "=", good.substr(0, good.size() - 2)})
    EXPECT_FALSE(verify_compact(bad, key)) << bad;
  auto tampered = good;
  tampered[good.find('.') + 2] ^= 1;
  EXPECT_FALSE(verify_compact(tampered, key));
  // Another key of the same algorithm.
  auto other = *SigningKey::generate(JwsAlg::ES256);
  EXPECT_FALSE(verify_compact(good, other));
}

TEST(Jose, Base64UrlDecodingIsStrict) {
  EXPECT_EQ(*base64url_decode("aGk"), "hi");
  EXPECT_EQ(*base64url_decode(""), "");
  EXPECT_FALSE(base64url_decode("aGk="));
  EXPECT_FALSE(base64url_decode("aG+k"));
  EXPECT_FALSE(base64url_decode("aG k"));
}

}  // namespace
}  // namespace portier::oidc::jose
