#include "credential/temporary_password.h"

namespace portier {

namespace {

std::string grouped(std::string_view raw) {
  return std::string(raw.substr(0, 4)) + "-" + std::string(raw.substr(4, 4)) + "-" + std::string(raw.substr(8, 4)) +
         "-" + std::string(raw.substr(12, 4));
}

}  // namespace

std::string make_temporary_password(Random& random) {
  return grouped(random.from_alphabet(kTemporaryPasswordAlphabet, 16));
}

std::string canonical_temporary_password(std::string_view typed) {
  std::string raw;
  for (char c : typed) {
    if (c == ' ' || c == '-' || c == '.' || c == '\t') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (kTemporaryPasswordAlphabet.find(c) == std::string_view::npos || raw.size() == 16) return std::string(typed);
    raw += c;
  }
  return raw.size() == 16 ? grouped(raw) : std::string(typed);
}

}  // namespace portier
