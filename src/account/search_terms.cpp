#include "account/search_terms.h"

#include <algorithm>
#include <array>
#include <iterator>

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
  // Chunks between spaces; inside one, the words joined by punctuation
  // ("claire.martin", "marie@example.org") stay together, in order.
  std::vector<std::string> chunks;
  std::string chunk, word;
  auto end_word = [&] {
    if (word.empty()) return;
    if (!chunk.empty()) chunk += ' ';
    chunk += word.substr(0, kMaxWordBytes);
    word.clear();
  };
  auto end_chunk = [&] {
    end_word();
    if (!chunk.empty() && chunks.size() < kMaxWords && std::find(chunks.begin(), chunks.end(), chunk) == chunks.end())
      chunks.push_back(chunk);
    chunk.clear();
  };
  for (unsigned char c : query) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') end_chunk();
    else if (!word_byte(c)) end_word();
    else word += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  }
  end_chunk();
  std::vector<std::string> kept;
  std::copy_if(chunks.begin(), chunks.end(), std::back_inserter(kept), [](auto& w) { return !is_title(w); });
  return kept.empty() ? chunks : kept;
}

}  // namespace portier
