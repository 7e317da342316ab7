#pragma once
// A guard in front of toml++ 3.3.0 (Debian 12's libtomlplusplus-dev): its
// parser reaches undefined behaviour (__builtin_unreachable) when it asks
// whether some non-ASCII characters are whitespace, i.e. a non-ASCII
// character outside a string or comment (`légal = 1`), or first on the line
// after a line-ending backslash in a """ string (marzer/tomlplusplus#190,
// #295; found by tests/fuzz/config_fuzz), or on a malformed value glued to
// a string holding one. Each is either invalid TOML or
// easily written otherwise, so portier refuses them first, with the line,
// and toml++ never sees them.
#include <optional>
#include <string>
#include <string_view>

namespace portier {

// What is wrong ("<toml++ message> (line N)" or "line N: ..."), or nullopt
// when the text can be given to toml++.
std::optional<std::string> toml_text_problem(std::string_view text);

}  // namespace portier
