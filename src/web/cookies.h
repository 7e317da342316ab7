#pragma once
// Cookie header parsing (RFC 6265, lenient about spacing, strict about
// sizes) and Set-Cookie building with the project's security flags.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace portier::web {

// Name -> value. The first occurrence of a name wins; pairs without '=',
// names with control characters and more than 50 cookies are ignored.
std::map<std::string, std::string, std::less<>> parse_cookies(std::string_view header);

struct CookieOptions {
  bool secure = false;                          // also selects the __Host- prefix
  std::optional<std::chrono::seconds> max_age;  // none: a browser-session cookie
  std::string same_site = "Lax";
};

// The cookie name as sent: "__Host-" + name over HTTPS, so that it is bound to
// this host, path / and the Secure flag.
std::string cookie_name(std::string_view name, bool secure);
std::string set_cookie(std::string_view name, std::string_view value, const CookieOptions& options);
std::string clear_cookie(std::string_view name, bool secure);

}  // namespace portier::web
