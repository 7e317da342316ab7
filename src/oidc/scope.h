#pragma once
// Space-separated lists of OAuth (RFC 6749 3.3): scopes, amr values as they
// are stored. Plain functions, no I/O.
#include <string>
#include <string_view>
#include <vector>

namespace portier::oidc {

// Splits on spaces, dropping empty words and repeats (order kept).
std::vector<std::string> split_words(std::string_view text);
std::string join_words(const std::vector<std::string>& words);
bool contains(const std::vector<std::string>& words, std::string_view word);

}  // namespace portier::oidc
