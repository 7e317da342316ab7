#include "assistance/request_reference.h"

namespace portier {

std::string new_request_reference(Random& random) {
  std::string out = "A-";
  constexpr unsigned n = kReferenceAlphabet.size();
  constexpr unsigned limit = 256 / n * n;  // rejection keeps the draw uniform
  while (out.size() < 6) {
    unsigned char b = 0;
    random.fill(&b, 1);
    if (b < limit) out += kReferenceAlphabet[b % n];
  }
  return out;
}

}  // namespace portier
