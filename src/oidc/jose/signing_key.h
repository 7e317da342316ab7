#pragma once
// One asymmetric key bound to the JWS algorithm it serves, over an OpenSSL 3
// EVP_PKEY. The binding is checked when the key is made (RS256 needs RSA of at
// least 2048 bits, as does PS256, ES256 an EC key on P-256, EdDSA an Ed25519 key), so a
// signature can never be made or checked with a key of another kind.
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "oidc/jose/algorithm.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace portier::oidc::jose {

// RSA modulus of generated keys: 3072 bits, 128-bit security like P-256 and
// Ed25519, and ANSSI's size for keys used beyond 2030; every client verifies
// RS256 at any modulus size, and a signature costs about a millisecond.
inline constexpr int kRsaBits = 3072;

class SigningKey {
public:
  // A fresh key for `alg`, from OpenSSL's CSPRNG.
  static Result<SigningKey> generate(JwsAlg alg);
  // A PKCS#8 private key or an SPKI public key, in PEM; the algorithm it must serve.
  static Result<SigningKey> from_pem(JwsAlg alg, std::string_view pem);

  // The same key for another algorithm of its kind (RS256 <-> PS256); InvalidInput otherwise.
  Result<SigningKey> bound_to(JwsAlg alg) const;

  JwsAlg alg() const { return alg_; }
  bool has_private() const { return has_private_; }
  EVP_PKEY* pkey() const { return pkey_.get(); }

  // PKCS#8 PEM of the private key (unencrypted: callers seal it, see
  // common/secret_box.h) and SPKI PEM of the public key.
  Result<std::string> private_pem() const;
  Result<std::string> public_pem() const;

private:
  SigningKey(JwsAlg alg, std::shared_ptr<EVP_PKEY> pkey, bool has_private)
      : alg_(alg), pkey_(std::move(pkey)), has_private_(has_private) {}
  JwsAlg alg_;
  std::shared_ptr<EVP_PKEY> pkey_;
  bool has_private_;
};

}  // namespace portier::oidc::jose
