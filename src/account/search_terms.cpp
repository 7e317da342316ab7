#include "account/search_terms.h"

#include <algorithm>
#include <array>

namespace portier {

namespace {

constexpr std::size_t kMaxWords = 8;
constexpr std::size_t kMaxWordBytes = 64;

bool word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

bool is_title(std::string_view w) {
  static constexpr std::array<std::string_view, 13> kTitles = {
      "dr", "docteur", "doctor", "pr", "professeur", "m", "mme", "madame", "mlle", "monsieur", "mr", "mrs", "ms"};
  return std::find(kTitles.begin(), kTitles.end(), w) != kTitles.end();
}

// "06 12 34 56 78", "+33 6 12 34 56 78", "100.012.345.67": one number.
std::string as_number(std::string_view q) {
  std::string digits;
  for (std::size_t i = 0; i < q.size(); ++i) {
    char c = q[i];
    if (c >= '0' && c <= '9') digits += c;
    else if (c == ' ' || c == '.' || c == '-' || (c == '+' && digits.empty())) continue;
    else return {};
  }
  return digits;
}

}  // namespace

std::vector<std::string> search_words(std::string_view query) {
  if (auto number = as_number(query); !number.empty())
    return {number.substr(0, kMaxWordBytes)};
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty() && words.size() < kMaxWords &&
        std::find(words.begin(), words.end(), current) == words.end())
      words.push_back(current.substr(0, kMaxWordBytes));
    current.clear();
  };
  for (unsigned char c : query) {
    if (!word_byte(c)) {
      flush();
      continue;
    }
    current += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  }
  flush();
  std::vector<std::string> kept;
  std::copy_if(words.begin(), words.end(), std::back_inserter(kept), [](auto& w) { return !is_title(w); });
  return kept.empty() ? words : kept;
}

}  // namespace portier
