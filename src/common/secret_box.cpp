#include "common/secret_box.h"

#include <sodium.h>

#include <cstring>

namespace portier {

std::string seal_secret(const SecretHasher& secrets, std::string_view purpose, Random& random,
                        std::string_view plaintext) {
  auto key = secrets.mac(purpose, "");
  std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  // A fresh random nonce per box: 24 bytes, so collisions are not a concern.
  random.fill(out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), out, reinterpret_cast<const unsigned char*>(key.data()));
  sodium_memzero(key.data(), key.size());
  std::string text(sodium_base64_ENCODED_LEN(sealed.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), out, sealed.size(), sodium_base64_VARIANT_ORIGINAL);
  text.resize(std::strlen(text.c_str()));
  return text;
}

Result<std::string> open_secret(const SecretHasher& secrets, std::string_view purpose, std::string_view box) {
  std::string sealed(box.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(sealed.data()), sealed.size(), box.data(), box.size(),
                        nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return fail(ErrorCode::Internal, std::string(purpose) + ": not a valid box");
  auto key = secrets.mac(purpose, "");
  const auto* in = reinterpret_cast<const unsigned char*>(sealed.data());
  std::string plaintext(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  int rc = crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plaintext.data()),
                                      in + crypto_secretbox_NONCEBYTES, len - crypto_secretbox_NONCEBYTES, in,
                                      reinterpret_cast<const unsigned char*>(key.data()));
  sodium_memzero(key.data(), key.size());
  sodium_memzero(sealed.data(), sealed.size());
  if (rc != 0) return fail(ErrorCode::Internal, std::string(purpose) + ": box does not decrypt under this server key");
  return plaintext;
}

}  // namespace portier
