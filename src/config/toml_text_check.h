#pragma once
// A guard in front of toml++ 3.3.0 (Debian 12's libtomlplusplus-dev): its
// parser reaches undefined behaviour (__builtin_unreachable) when it asks
// whether some non-ASCII characters are whitespace, i.e. a non-ASCII
// character outside a string or comment (`légal = 1`), or first on the line
// after a line-ending backslash in a """ string (marzer/tomlplusplus#190,
// #295; found by tests/fuzz/config_fuzz). Both are either invalid TOML or
// easily written otherwise, so portier refuses them first, with the line,
// and toml++ never sees them.
#include <optional>
#include <string>
#include <string_view>

namespace portier {

// "line N: ..." for the first place toml++ must not be shown, or nullopt.
std::optional<std::string> toml_text_problem(std::string_view text);

}  // namespace portier
