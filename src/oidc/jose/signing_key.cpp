#include "oidc/jose/signing_key.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>

#include "oidc/jose/openssl_util.h"

namespace portier::oidc::jose {

namespace {

using detail::BioPtr;
using detail::openssl_error;

std::shared_ptr<EVP_PKEY> own(EVP_PKEY* p) { return std::shared_ptr<EVP_PKEY>(p, EVP_PKEY_free); }

// The key is of the kind `alg` needs; the one place that binds them.
Result<void> check_kind(JwsAlg alg, EVP_PKEY* pkey) {
  switch (alg) {
    case JwsAlg::RS256:
    case JwsAlg::PS256:
      // A plain RSA key: an RSA-PSS-only key (OpenSSL "RSA-PSS") carries its own parameter restrictions.
      if (!EVP_PKEY_is_a(pkey, "RSA"))
        return fail(ErrorCode::InvalidInput, std::string(to_string(alg)) + " needs an RSA key");
      if (EVP_PKEY_get_bits(pkey) < 2048)
        return fail(ErrorCode::InvalidInput, std::string(to_string(alg)) + " needs at least 2048 bits");
      return {};
    case JwsAlg::ES256: {
      if (!EVP_PKEY_is_a(pkey, "EC")) return fail(ErrorCode::InvalidInput, "ES256 needs an EC key");
      char group[64] = {0};
      size_t len = 0;
      if (!EVP_PKEY_get_group_name(pkey, group, sizeof group, &len) || std::string_view(group) != "prime256v1")
        return fail(ErrorCode::InvalidInput, "ES256 needs a P-256 key");
      return {};
    }
    case JwsAlg::EdDSA:
      if (!EVP_PKEY_is_a(pkey, "ED25519")) return fail(ErrorCode::InvalidInput, "EdDSA needs an Ed25519 key");
      return {};
  }
  return fail(ErrorCode::InvalidInput, "unknown algorithm");
}

Result<std::string> drain(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  if (len <= 0) return fail(ErrorCode::Internal, "empty PEM");
  return std::string(data, static_cast<size_t>(len));
}

}  // namespace

Result<SigningKey> SigningKey::generate(JwsAlg alg) {
  EVP_PKEY* raw = nullptr;
  switch (alg) {
    case JwsAlg::RS256:
    case JwsAlg::PS256: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(kRsaBits)); break;
    case JwsAlg::ES256: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
    case JwsAlg::EdDSA: raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
  }
  if (!raw) return fail(ErrorCode::Internal, openssl_error("key generation"));
  return SigningKey(alg, own(raw), true);
}

Result<SigningKey> SigningKey::bound_to(JwsAlg alg) const {
  if (auto kind = check_kind(alg, pkey_.get()); !kind) return tl::unexpected(kind.error());
  return SigningKey(alg, pkey_, has_private_);
}

Result<SigningKey> SigningKey::from_pem(JwsAlg alg, std::string_view pem) {
  bool has_private = true;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!raw) {
    ERR_clear_error();
    has_private = false;
    bio.reset(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    raw = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  }
  if (!raw) return fail(ErrorCode::InvalidInput, openssl_error("not a PEM key"));
  auto pkey = own(raw);
  if (auto kind = check_kind(alg, pkey.get()); !kind) return tl::unexpected(kind.error());
  return SigningKey(alg, std::move(pkey), has_private);
}

Result<std::string> SigningKey::private_pem() const {
  if (!has_private_) return fail(ErrorCode::InvalidInput, "public key only");
  // secmem: OpenSSL wipes the buffer holding the clear key when it is freed.
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr, nullptr))
    return fail(ErrorCode::Internal, openssl_error("PEM export"));
  return drain(bio.get());
}

Result<std::string> SigningKey::public_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PUBKEY(bio.get(), pkey_.get())) return fail(ErrorCode::Internal, openssl_error("PEM export"));
  return drain(bio.get());
}

}  // namespace portier::oidc::jose
