#pragma once
// Randomness is injected like time: production draws from libsodium's CSPRNG,
// tests can substitute a deterministic source.
#include <cstddef>
#include <string>

namespace portier {

class Random {
public:
  virtual ~Random() = default;
  virtual void fill(unsigned char* out, std::size_t n) = 0;

  // n random bytes as base64url without padding: session ids, tokens.
  std::string token(std::size_t bytes = 32);
  // A uniformly drawn string over `alphabet` (rejection sampling, no modulo bias).
  std::string from_alphabet(std::string_view alphabet, std::size_t length);
};

class SodiumRandom final : public Random {
public:
  void fill(unsigned char* out, std::size_t n) override;
};

}  // namespace portier
