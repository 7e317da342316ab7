// parse_cookies (web/cookies.h): the Cookie header of every request.
// Invariants: at most 50 cookies; names and values hold only the characters
// the parser promises (printable ASCII, no separators); the first occurrence
// of a name wins; writing the cookies back as a header and parsing it again
// gives the same map; a cookie set by set_cookie() reads back unchanged.
#include "fuzz_check.h"
#include "web/cookies.h"

using namespace portier;

namespace {
bool name_ok(const std::string& name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (c <= 0x20 || c >= 0x7f || c == '=' || c == ',' || c == ';') return false;
  return true;
}
bool value_ok(const std::string& value) {
  for (unsigned char c : value)
    if (c <= 0x20 || c >= 0x7f || c == ',' || c == ';' || c == '\\') return false;
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  auto header = fuzz::as_text(data, size);
  auto cookies = web::parse_cookies(header);
  FUZZ_CHECK(cookies.size() <= 50);
  if (header.size() > 8192) FUZZ_CHECK(cookies.empty());
  std::string again;
  for (const auto& [name, value] : cookies) {
    FUZZ_CHECK(name_ok(name) && value_ok(value));
    FUZZ_CHECK(header.find(name) != std::string_view::npos);
    if (!again.empty()) again += "; ";
    // Quoted: a value that itself starts and ends with '"' keeps its quotes.
    again += name + "=\"" + value + "\"";
  }
  if (again.size() <= 8192) FUZZ_CHECK(web::parse_cookies(again) == cookies);
  // First occurrence wins: an injected duplicate sent after ours changes nothing.
  if (!cookies.empty() && again.size() + 64 <= 8192 && cookies.size() < 50) {
    const auto& [name, value] = *cookies.begin();
    auto injected = web::parse_cookies(again + "; " + name + "=injected");
    FUZZ_CHECK(injected.at(name) == value);
  }
  // What portier sets, it reads back.
  for (const auto& [name, value] : cookies) {
    auto set = web::set_cookie(name, value, web::CookieOptions{});
    auto read = web::parse_cookies(set.substr(0, set.find(';')));
    FUZZ_CHECK(read.size() == 1 && read.begin()->first == name);
    // A value written bare that starts and ends with '"' is read unquoted.
    bool quoted = value.size() >= 2 && value.front() == '"' && value.back() == '"';
    FUZZ_CHECK(read.begin()->second == (quoted ? value.substr(1, value.size() - 2) : value));
  }
  return 0;
}
