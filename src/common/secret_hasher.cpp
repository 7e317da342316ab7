#include <sodium.h>

#include <cassert>

#include "common/encoding.h"
#include "common/secret_hasher.h"

namespace portier {

SecretHasher::SecretHasher(std::string key) : key_(std::move(key)) {
  assert(key_.size() >= crypto_generichash_KEYBYTES_MIN && "server key too short");
}

std::string SecretHasher::mac(std::string_view purpose, std::string_view message) const {
  unsigned char out[32];
  crypto_generichash_state st;
  crypto_generichash_init(&st, reinterpret_cast<const unsigned char*>(key_.data()), key_.size(), sizeof out);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size());
  const unsigned char sep = 0;
  crypto_generichash_update(&st, &sep, 1);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_generichash_final(&st, out, sizeof out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string SecretHasher::digest(std::string_view purpose, std::string_view secret) const {
  return hex_encode(mac(purpose, secret));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace portier
