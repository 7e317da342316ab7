#include "web/cookies.h"

#include "common/encoding.h"

namespace portier::web {

std::map<std::string, std::string, std::less<>> parse_cookies(std::string_view header) {
  std::map<std::string, std::string, std::less<>> out;
  if (header.size() > 8192) return out;
  while (!header.empty() && out.size() < 50) {
    auto semi = header.find(';');
    auto pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    auto name = trim(pair.substr(0, eq));
    auto value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    bool ok = !name.empty();
    for (unsigned char c : name)
      if (c <= 0x20 || c >= 0x7f || c == '=' || c == ',') ok = false;
    for (unsigned char c : value)
      if (c < 0x21 || c >= 0x7f || c == ',' || c == '\\') ok = false;
    if (ok) out.emplace(std::string(name), std::string(value));
  }
  return out;
}

std::string cookie_name(std::string_view name, bool secure) {
  return (secure ? std::string("__Host-") : std::string()) + std::string(name);
}

std::string set_cookie(std::string_view name, std::string_view value, const CookieOptions& o) {
  std::string out = cookie_name(name, o.secure) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=" + o.same_site;
  if (o.secure) out += "; Secure";
  if (o.max_age) out += "; Max-Age=" + std::to_string(o.max_age->count());
  return out;
}

std::string clear_cookie(std::string_view name, bool secure) {
  return set_cookie(name, "", CookieOptions{secure, std::chrono::seconds(0)});
}

}  // namespace portier::web
