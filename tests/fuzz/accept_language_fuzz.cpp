// negotiate_language (web/i18n.h): the Accept-Language header of every page.
// The first byte picks the language cookie ("", "fr", "en" or the next
// bytes), the rest is the header. Invariants: the answer is fr, en or the
// fallback; the cookie's fr/en always wins; only the first 512 bytes count;
// and the answer is the one of a reference reading of RFC 9110 (sections
// 12.4.2 and 12.5.4) written independently below: weights are "q=" (any
// case) with a qvalue of at most three decimals between 0 and 1, a malformed
// weight makes its item count for nothing, q=0 means "not this one".
#include <optional>

#include "fuzz_check.h"
#include "web/i18n.h"

using namespace portier;

namespace {

bool ows(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view strip(std::string_view s) {
  while (!s.empty() && ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && ows(s.back())) s.remove_suffix(1);
  return s;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths.
std::optional<int> qvalue(std::string_view s) {
  if (s.empty() || (s[0] != '0' && s[0] != '1')) return std::nullopt;
  int whole = s[0] - '0';
  if (s.size() == 1) return whole * 1000;
  if (s[1] != '.' || s.size() > 5) return std::nullopt;
  int millis = 0, scale = 100;
  for (char c : s.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    millis += (c - '0') * scale;
    scale /= 10;
  }
  if (whole == 1 && millis != 0) return std::nullopt;
  return whole * 1000 + millis;
}

std::string reference(std::string_view cookie, std::string_view header, std::string_view fallback) {
  if (cookie == "fr" || cookie == "en") return std::string(cookie);
  header = header.substr(0, 512);
  std::string best(fallback);
  int best_q = 0;
  std::size_t start = 0;
  while (start <= header.size()) {
    auto end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    auto item = header.substr(start, end - start);
    start = end + 1;
    auto semi = item.find(';');
    auto range = strip(item.substr(0, semi));
    int q = 1000;
    bool malformed = false;
    auto rest = item.substr(semi == std::string_view::npos ? item.size() : semi + 1);
    while (semi != std::string_view::npos) {
      semi = rest.find(';');
      auto param = strip(rest.substr(0, semi));
      if (semi != std::string_view::npos) rest.remove_prefix(semi + 1);
      if (param.size() >= 2 && lower(param[0]) == 'q' && param[1] == '=') {
        auto v = qvalue(param.substr(2));
        if (v) q = *v;
        else malformed = true;
      }
    }
    if (malformed) continue;
    std::string primary;
    for (char c : range) {
      if (c == '-') break;
      primary += lower(c);
    }
    if ((primary == "fr" || primary == "en") && q > best_q) {
      best = primary;
      best_q = q;
    }
  }
  return best;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  auto input = fuzz::as_text(data, size);
  std::string_view cookie;
  if (!input.empty()) {
    switch (input[0] % 4) {
      case 0: cookie = ""; break;
      case 1: cookie = "fr"; break;
      case 2: cookie = "en"; break;
      default: cookie = input.substr(1, 2); break;
    }
    input.remove_prefix(1);
  }
  for (std::string_view fallback : {"fr", "en"}) {
    auto chosen = web::negotiate_language(cookie, input, fallback);
    FUZZ_CHECK(chosen == "fr" || chosen == "en");
    if (cookie == "fr" || cookie == "en") FUZZ_CHECK(chosen == cookie);
    FUZZ_CHECK(chosen == web::negotiate_language(cookie, input.substr(0, 512), fallback));
    auto expected = reference(cookie, input, fallback);
    if (chosen != expected) {
      std::fprintf(stderr, "negotiate_language chose %s, the reference %s\n", chosen.c_str(), expected.c_str());
      FUZZ_CHECK(chosen == expected);
    }
  }
  return 0;
}
