#include "credential/password_strength.h"

#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>
#include <zxcvbn.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>

#include "common/encoding.h"

namespace portier {
namespace {

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Already folded: ASCII without capitals, and the lower-case letters of
// Latin-1 (U+00DF..U+00FF, "é", "ç", but not "÷") plus "œ". Most dictionary
// lines are, and skipping libunistring for them halves the start-up cost.
bool is_folded_latin(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') return false;
      continue;
    }
    if (i + 1 >= s.size()) return false;
    const auto d = static_cast<unsigned char>(s[i + 1]);
    const bool latin = c == 0xC3 && d >= 0x9F && d <= 0xBF && d != 0xB7;
    const bool oe = c == 0xC5 && d == 0x93;
    if (!latin && !oe) return false;
    ++i;
  }
  return true;
}

std::uint64_t hash_of(std::string_view folded) { return std::hash<std::string_view>{}(folded); }

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Digits, spaces and ASCII symbols around a word ("soleil123!", "2024motdepasse").
// Bytes >= 0x80 belong to letters such as "é" and stay.
std::string strip_non_letters(std::string_view s) {
  auto keep = [](char c) { return is_ascii_letter(c) || static_cast<unsigned char>(c) >= 0x80; };
  std::size_t b = 0, e = s.size();
  while (b < e && !keep(s[b])) ++b;
  while (e > b && !keep(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

// The usual substitutions. '1' stands for 'i' or 'l': both forms are tried.
std::string undo_leet(std::string_view s, char one) {
  std::string out(s);
  for (auto& c : out) switch (c) {
      case '0': c = 'o'; break;
      case '1': c = one; break;
      case '3': c = 'e'; break;
      case '4': case '@': c = 'a'; break;
      case '5': case '$': c = 's'; break;
      case '7': c = 't'; break;
      case '8': c = 'b'; break;
      case '!': c = 'i'; break;
      default: break;
    }
  return out;
}

// A stripped form shorter than this ("a", "de") says nothing: single letters
// and two-letter words are in every dictionary.
constexpr std::size_t kMinStrippedWord = 3;

}  // namespace

std::string fold_for_comparison(std::string_view s) {
  if (s.empty()) return {};
  // ASCII fast path: most dictionary lines are ASCII and start-up folds ~450,000 of them.
  if (is_ascii(s)) return ascii_lower(s);
  if (is_folded_latin(s)) return std::string(s);
  std::size_t len = 0;
  auto* in = reinterpret_cast<const std::uint8_t*>(s.data());
  std::uint8_t* buf = u8_tolower(in, s.size(), nullptr, UNINORM_NFKC, nullptr, &len);
  if (!buf) return ascii_lower(s);
  std::string out(reinterpret_cast<char*>(buf), len);
  std::free(buf);
  return out;
}

std::vector<std::string> wordlist_candidates(std::string_view folded) {
  std::vector<std::string> out{std::string(folded)};
  auto add = [&out](std::string s, bool stripped) {
    if (stripped && s.size() < kMinStrippedWord) return;
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  };
  add(strip_non_letters(folded), true);
  for (char one : {'i', 'l'}) {
    auto unleet = undo_leet(folded, one);
    add(unleet, false);
    add(strip_non_letters(unleet), true);
    // "s0l3il2024": digits at the end are a suffix, not leet.
    add(undo_leet(strip_non_letters(folded), one), true);
  }
  return out;
}

void PasswordWordlist::add(std::string_view word) {
  if (!word.empty() && word.back() == '\r') word.remove_suffix(1);
  if (word.empty() || word.starts_with("#!comment")) return;
  hashes_.push_back(hash_of(fold_for_comparison(word)));
}

void PasswordWordlist::seal() {
  std::sort(hashes_.begin(), hashes_.end());
  hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
  hashes_.shrink_to_fit();
}

Result<PasswordWordlist> PasswordWordlist::from_files(const std::vector<std::string>& paths) {
  PasswordWordlist list;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return tl::unexpected(Error{ErrorCode::InvalidInput, "cannot read password word list " + path});
    // Whole file at once: a few MB, and much faster than getline.
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string_view rest(text);
    while (!rest.empty()) {
      const auto eol = rest.find('\n');
      list.add(rest.substr(0, eol));
      rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    }
  }
  list.seal();
  return list;
}

PasswordWordlist PasswordWordlist::from_file(const std::string& path) {
  auto list = from_files({path});
  return list ? std::move(*list) : PasswordWordlist{};
}

PasswordWordlist PasswordWordlist::from_words(const std::vector<std::string>& words) {
  PasswordWordlist list;
  for (const auto& w : words) list.add(w);
  list.seal();
  return list;
}

bool PasswordWordlist::contains(std::string_view folded) const {
  return std::binary_search(hashes_.begin(), hashes_.end(), hash_of(folded));
}

PasswordStrength::PasswordStrength(std::shared_ptr<const PasswordWordlist> wordlist, double min_guesses_log10)
    : wordlist_(std::move(wordlist)), min_guesses_log10_(min_guesses_log10) {}

double PasswordStrength::guesses_log10(std::string_view normalized, const std::vector<std::string>& context) {
  // zxcvbn wants NUL-terminated strings; the user dictionary ends with nullptr.
  const std::string password(normalized);
  // Each entry whole ("Jean Dupont") and its parts ("jean", "dupont"): an
  // attacker tries the parts as readily as the whole.
  std::vector<std::string> parts;
  for (const auto& c : context) {
    if (c.empty()) continue;
    parts.push_back(c);
    std::string part;
    for (char ch : c + " ") {
      const auto u = static_cast<unsigned char>(ch);
      if (u >= 0x80 || std::isalnum(u)) part += ch;
      else if (!part.empty()) {
        if (part.size() >= 3 && part != c) parts.push_back(part);
        part.clear();
      }
    }
  }
  std::vector<const char*> words;
  for (const auto& w : parts) words.push_back(w.c_str());
  words.push_back(nullptr);
  const double bits = ZxcvbnMatch(password.c_str(), words.data(), nullptr);
  return bits * std::log10(2.0);
}

std::optional<PasswordWeakness> PasswordStrength::weakness(std::string_view normalized,
                                                          const std::vector<std::string>& context) const {
  if (wordlist_ && wordlist_->size() > 0) {
    for (const auto& candidate : wordlist_candidates(fold_for_comparison(normalized)))
      if (wordlist_->contains(candidate)) return PasswordWeakness::CommonWord;
  }
  if (guesses_log10(normalized, context) < min_guesses_log10_) return PasswordWeakness::Guessable;
  return std::nullopt;
}

}  // namespace portier
