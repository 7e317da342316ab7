#include "oidc/scope.h"

#include <algorithm>

namespace portier::oidc {

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    if (end > i) {
      std::string word(text.substr(i, end - i));
      if (!contains(out, word)) out.push_back(std::move(word));
    }
    i = end + 1;
  }
  return out;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

bool contains(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace portier::oidc
