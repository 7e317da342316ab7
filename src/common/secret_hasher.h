#pragma once
// Keyed hash for every bearer secret stored at rest (session ids, flow and
// setup tokens, later reset codes): a database leak alone does not yield
// usable tokens. Keyed BLAKE2b-256 (libsodium generichash) with the server key.
#include <string>
#include <string_view>

namespace portier {

class SecretHasher {
public:
  explicit SecretHasher(std::string key);  // 32 bytes
  // Hex digest of `secret` under the server key, tagged by `purpose` so a
  // token of one kind can never be replayed as another.
  std::string digest(std::string_view purpose, std::string_view secret) const;
  // Raw MAC, for CSRF tokens.
  std::string mac(std::string_view purpose, std::string_view message) const;

private:
  std::string key_;
};

// Constant-time equality of two byte strings (length is not secret).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace portier
