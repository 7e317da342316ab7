// common/encoding.h: the UTF-8 check every form field and CSV line goes
// through, and the small encoders. Invariants: is_valid_utf8 agrees with an
// independent decoder written from RFC 3629 (no overlong forms, no
// surrogates, nothing above U+10FFFF); trim removes exactly the outer
// blanks; ascii_lower changes only A-Z; html_escape leaves no markup
// character; base64url and hex produce their alphabet and length.
#include <cstdint>

#include "common/encoding.h"
#include "fuzz_check.h"

using namespace portier;

namespace {

bool reference_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t len;
    std::uint32_t cp, min;
    if (b < 0x80) { ++i; continue; }
    if ((b & 0xE0) == 0xC0) { len = 2; cp = b & 0x1F; min = 0x80; }
    else if ((b & 0xF0) == 0xE0) { len = 3; cp = b & 0x0F; min = 0x800; }
    else if ((b & 0xF8) == 0xF0) { len = 4; cp = b & 0x07; min = 0x10000; }
    else return false;
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  auto input = fuzz::as_text(data, size);
  FUZZ_CHECK(is_valid_utf8(input) == reference_utf8(input));

  auto t = trim(input);
  FUZZ_CHECK(t.empty() || (!blank(t.front()) && !blank(t.back())));
  FUZZ_CHECK(input.find(t) != std::string_view::npos);
  for (std::size_t i = 0; i < input.size() && input.data() + i < t.data(); ++i) FUZZ_CHECK(blank(input[i]));

  auto lower = ascii_lower(input);
  FUZZ_CHECK(lower.size() == input.size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    char c = input[i];
    FUZZ_CHECK(lower[i] == (c >= 'A' && c <= 'Z' ? c + 32 : c));
  }

  auto escaped = html_escape(input);
  FUZZ_CHECK(escaped.find_first_of("<>\"'") == std::string::npos);
  for (std::size_t amp = escaped.find('&'); amp != std::string::npos; amp = escaped.find('&', amp + 1)) {
    auto rest = std::string_view(escaped).substr(amp);
    FUZZ_CHECK(rest.starts_with("&amp;") || rest.starts_with("&lt;") || rest.starts_with("&gt;") ||
               rest.starts_with("&quot;") || rest.starts_with("&#39;"));
  }
  FUZZ_CHECK(is_valid_utf8(escaped) == is_valid_utf8(input));

  auto b64 = base64url_encode(input);
  FUZZ_CHECK(b64.size() == (input.size() * 4 + 2) / 3);
  FUZZ_CHECK(b64.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
             std::string::npos);
  auto hex = hex_encode(input);
  FUZZ_CHECK(hex.size() == input.size() * 2 && hex.find_first_not_of("0123456789abcdef") == std::string::npos);
  return 0;
}
