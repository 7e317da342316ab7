#include <sodium.h>

#include <vector>

#include "common/encoding.h"
#include "common/random.h"

namespace portier {

std::string Random::token(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  fill(buf.data(), buf.size());
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(buf.data()), buf.size()));
}

std::string Random::from_alphabet(std::string_view alphabet, std::size_t length) {
  std::string out;
  out.reserve(length);
  const unsigned limit = 256 - (256 % alphabet.size());
  while (out.size() < length) {
    unsigned char b;
    fill(&b, 1);
    if (b < limit) out.push_back(alphabet[b % alphabet.size()]);
  }
  return out;
}

void SodiumRandom::fill(unsigned char* out, std::size_t n) { randombytes_buf(out, n); }

}  // namespace portier
