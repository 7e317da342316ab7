// PS256 (RSASSA-PSS, SHA-256, MGF1 SHA-256, 32-byte salt; RFC 7518 §3.5),
// which portier verifies for external providers (federation/). The key and
// the signatures below were made by the openssl command line, not by
// oidc/jose, so a verification here is not our own code agreeing with itself:
//   openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k.pem
//   openssl dgst -sha256 -sign k.pem -sigopt rsa_padding_mode:pss
//     -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256 input      (kPss32)
//   ... -sigopt rsa_pss_saltlen:20                                    (kPss20)
//   openssl dgst -sha256 -sign k.pem input                            (kPkcs1)
// over input = base64url({"alg":"PS256","kid":"k1"}) "." base64url({"iss":…,"sub":"f:1"}).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/encoding.h"
#include "oidc/jose/base64url.h"
#include "oidc/jose/jwk.h"
#include "oidc/jose/jwk_import.h"
#include "oidc/jose/jws.h"

namespace portier::oidc::jose {
namespace {

constexpr const char* kPublicPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyVODzjXRBmFmVLiZDoq/\n"
    "naTOq8lG3cpIgfS1ww6qSidkCR+8u5aUCsf0Rwdz0B002C7ls9+7CXkuUVwbyjG/\n"
    "86p2zeqdU/ryhxNPF9/FXtrtwgiH/B2UTvFVwy+JmLEXMpbPDXptthPW+GRe19eI\n"
    "HPbSAhHuTjRcqHRlZYxPDG9NIpYsAjHIEz5PI6w1I9QsZN7B79dIb6ftREoAuSCh\n"
    "Y1E0gMp+gRhHbRAJXoIiQ72oBYyzKdTjUOGlnPyp2eMBlpFVbcZ5l8lFCvpg9CWD\n"
    "tblyrNdaPkvrzVEjg5hxMxKPB/fSEd3j0k+gayd5pGPSuk04SH+zaW8Tm02ZLTVU\n"
    "swIDAQAB\n"
    "-----END PUBLIC KEY-----\n";

constexpr const char* kInput =
    "eyJhbGciOiJQUzI1NiIsImtpZCI6ImsxIn0."
    "eyJpc3MiOiJodHRwczovL3BzYy5leGFtcGxlIiwic3ViIjoiZjoxIn0";

constexpr const char* kPss32 =
    "MTINwpcVz0sna8xiR6divxHXnxW4RgjGBBnRai7StwN2lFsVZ7IMRXvRCDY_m5-3VB0zOwhjCGubz-aY1Bg8MlJX0tJ1p5B-4t68"
    "UU4b-bPBD8YX0WWhYHM14VebMnSf_BcBetNThfBNi1YiO2pZiEwsJ1GIia_32UZbX5-ZosHDdS6I00joAlavHr6pKedCssw7iNMl"
    "kV_L2gM-zEbu3HgS9Vv_UQEIFSqbAAZiaU7d9N4_qyyn59VraOdOca-DoFFj0qeadDR_bAaeifq3ZLQg-mQ_4ZCGOoHv1-VwGhzf"
    "rzzYUp17zeZGhEQ04YZRb1hsLWIWepdtpbKemUKuOw";
constexpr const char* kPss20 =
    "wfrFg5ZRh6NoWAuNjkm0_IEbXpm4wI7h3U2qn2EsdUxTX-q5aCdMv6Niir18GpNAMibIE6Kw2e7YFZoev61PSkwwZGs9DaUyfTVL"
    "jr_LKP562_HtsaEA4Hyk_HvZoZ6YmWaOqDkthZfCUuA3lILm-VbhKNci6OzJ0Lr7bUStkEVqik7WpLEk9pQegMdeKlBO5SttZ6II"
    "rAlc_DYgpjlihfqDFixMhOypBg-1MztvTP9qeRW18mbHmg1WIszDhqltEhOTe8iVeZjSepFvu7_K5Ykpltxbe6i_YKCubz0Vb8_v"
    "QuCq_tfhS2hq_YKvuPyLWxfaK-k1qqWXC3H-WCNdPg";
constexpr const char* kPkcs1 =
    "xFp_pjgJNiBAk-W1iDA7ZfmpLEtJvrpjEtM3nZhOpdEQWWs_zkb50ijaFRUBIceTbd0_hOaG2yFKgRkX8NWYx5-sKo3VKucdcuF4"
    "HNvrJSmZLD7v5X-X22fhYQjFj2GmfrG4d0vphd2_FX0swtz5jRTcXBPfGs--VwyCRpwxmwTMrwNmEP697_qsrMGALAsiDa2t7Ii_"
    "3wl-brvzbTHfItgIBfi-ppI-9sPgF32j6b7jV6XY3itIDFS69OPiCmFztfhHGqHbfRd9UK6Ri0ODu04McFcZzhdHsVBXpBEfc6ra"
    "07LXmWlEMiBN2wDqUVhRMMR6lpBH0skVaAzESak9YQ";

std::string token(const char* signature) { return std::string(kInput) + "." + signature; }

SigningKey public_key(JwsAlg alg) {
  auto key = SigningKey::from_pem(alg, kPublicPem);
  EXPECT_TRUE(key) << (key ? "" : key.error().detail);
  return *key;
}

TEST(JosePs256, NameParsesAndPortierKeepsNoKeyForIt) {
  EXPECT_EQ(parse_alg("PS256"), JwsAlg::PS256);
  EXPECT_EQ(to_string(JwsAlg::PS256), "PS256");
  EXPECT_FALSE(parse_alg("ps256"));
  EXPECT_FALSE(parse_alg("PS384"));
  for (auto alg : kAllAlgs) EXPECT_NE(alg, JwsAlg::PS256);  // portier's own provider signs with the other three
}

TEST(JosePs256, OpensslSignatureVerifies) {
  auto verified = verify_compact(token(kPss32), public_key(JwsAlg::PS256));
  ASSERT_TRUE(verified) << verified.error().detail;
  EXPECT_EQ(verified->header.at("alg").as_string(), "PS256");
  EXPECT_NE(verified->payload.find("\"sub\":\"f:1\""), std::string::npos);
}

TEST(JosePs256, Pkcs1V15SignatureUnderPs256IsRefused) {
  // The same key, the same input, the RS256 padding: not a PS256 signature.
  auto refused = verify_compact(token(kPkcs1), public_key(JwsAlg::PS256));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().detail, "bad signature");
}

TEST(JosePs256, OtherSaltLengthIsRefused) {
  // RFC 7518 §3.5: the salt is the hash's size, 32 bytes; openssl's 20 is not PS256.
  EXPECT_FALSE(verify_compact(token(kPss20), public_key(JwsAlg::PS256)));
}

TEST(JosePs256, AlgorithmAndKeyMustAgree) {
  // A PS256 token against the same RSA key bound to RS256: the key decides.
  auto rs = verify_compact(token(kPss32), public_key(JwsAlg::RS256));
  ASSERT_FALSE(rs);
  EXPECT_EQ(rs.error().detail, "alg does not match the key");
  // An EC or Ed25519 key never becomes a PS256 key.
  for (auto alg : {JwsAlg::ES256, JwsAlg::EdDSA}) {
    auto other = SigningKey::generate(alg);
    ASSERT_TRUE(other);
    EXPECT_FALSE(other->bound_to(JwsAlg::PS256));
    auto pem = other->public_pem();
    EXPECT_FALSE(SigningKey::from_pem(JwsAlg::PS256, *pem));
  }
  // And a PS256 key does not verify an RS256 signature (the RS256 header is refused).
  std::string rs_header = base64url_encode(R"({"alg":"RS256","kid":"k1"})");
  EXPECT_FALSE(verify_compact(rs_header + ".e30." + kPkcs1, public_key(JwsAlg::PS256)));
}

TEST(JosePs256, OwnSignaturesRoundTripAndAreRandomised) {
  auto key = SigningKey::generate(JwsAlg::PS256);
  ASSERT_TRUE(key);
  auto a = sign_compact(*key, "k", R"({"x":1})");
  auto b = sign_compact(*key, "k", R"({"x":1})");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);  // PSS is salted
  auto pub = SigningKey::from_pem(JwsAlg::PS256, *key->public_pem());
  EXPECT_TRUE(verify_compact(*a, *pub));
  // And the same key bound to RS256 signs RS256, which the PS256 key refuses.
  auto rs = key->bound_to(JwsAlg::RS256);
  ASSERT_TRUE(rs);
  auto rs_token = sign_compact(*rs, "k", R"({"x":1})");
  EXPECT_FALSE(verify_compact(*rs_token, *pub));
}

// A provider's JWKS: an RSA key whose JWK names no alg serves RS256 and
// PS256 (RFC 7517 §4.4); a JWK that names one is kept to it.
TEST(JosePs256, JwkWithoutAlgServesBothRsaAlgorithmsAndADeclaredOneIsKept) {
  auto jwk = public_jwk(public_key(JwsAlg::RS256), "k1");
  ASSERT_TRUE(jwk);
  auto without_alg = *jwk;
  without_alg.erase("alg");
  auto declared_ps = *jwk;
  declared_ps["alg"] = "PS256";
  auto set = boost::json::serialize(boost::json::object{{"keys", boost::json::array{without_alg}}});
  auto keys = public_keys_from_jwks(set);
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 1u);
  auto for_ps = usable_for((*keys)[0], JwsAlg::PS256);
  ASSERT_TRUE(for_ps);
  EXPECT_TRUE(verify_compact(token(kPss32), *for_ps));
  EXPECT_TRUE(usable_for((*keys)[0], JwsAlg::RS256));
  EXPECT_FALSE(usable_for((*keys)[0], JwsAlg::ES256));

  // Declared RS256: not usable for PS256.
  keys = public_keys_from_jwks(boost::json::serialize(boost::json::object{{"keys", boost::json::array{*jwk}}}));
  ASSERT_TRUE(keys);
  EXPECT_FALSE(usable_for((*keys)[0], JwsAlg::PS256));
  // Declared PS256: a PS256 key, not usable for RS256.
  keys = public_keys_from_jwks(boost::json::serialize(boost::json::object{{"keys", boost::json::array{declared_ps}}}));
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].key.alg(), JwsAlg::PS256);
  EXPECT_TRUE(verify_compact(token(kPss32), (*keys)[0].key));
  EXPECT_FALSE(usable_for((*keys)[0], JwsAlg::RS256));
}

}  // namespace
}  // namespace portier::oidc::jose
