#pragma once
#include <string>
#include <string_view>

namespace portier {

std::string base64url_encode(std::string_view bytes);
std::string hex_encode(std::string_view bytes);
// Lower-cases ASCII letters only; identifiers and header names are ASCII.
std::string ascii_lower(std::string_view s);
std::string_view trim(std::string_view s);
// True when s is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view s);
// Escapes HTML special characters; templates escape by themselves, this is for
// the few places that build markup in code (error pages when templates fail).
std::string html_escape(std::string_view s);

}  // namespace portier
