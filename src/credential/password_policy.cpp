#include "credential/password_policy.h"

#include <sodium.h>
#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <utility>

#include "common/encoding.h"

namespace portier {
namespace {

const std::uint8_t* bytes(std::string_view s) { return reinterpret_cast<const std::uint8_t*>(s.data()); }

// Takes ownership of a libunistring buffer; wipes it because it may hold a password.
std::string take(std::uint8_t* buf, std::size_t len) {
  std::string out(reinterpret_cast<char*>(buf), len);
  sodium_memzero(buf, len);
  std::free(buf);
  return out;
}

// Lower-case for comparisons only (never hashed): Unicode-aware, so "É" matches "é".
std::string lower(std::string_view s) {
  if (s.empty()) return {};
  std::size_t len = 0;
  std::uint8_t* buf = u8_tolower(bytes(s), s.size(), nullptr, UNINORM_NFKC, nullptr, &len);
  return buf ? take(buf, len) : ascii_lower(s);
}

std::size_t code_points(std::string_view s) { return u8_mbsnlen(bytes(s), s.size()); }

// One character repeated ("aaaa…", "éééé…") or a full-string ASCII run
// ("abcdefghijkl", "210987…" is not one: it wraps).
bool is_repetitive(std::string_view s) {
  if (s.empty()) return false;
  const std::uint8_t* p = bytes(s);
  const std::uint8_t* const end = p + s.size();
  ucs4_t first = 0;
  p += u8_mbtouc(&first, p, end - p);
  bool same = p < end;  // a single character is not "repeated"
  while (p < end && same) {
    ucs4_t c = 0;
    p += u8_mbtouc(&c, p, end - p);
    same = c == first;
  }
  if (same) return true;
  if (s.size() < 2) return false;
  const int step = static_cast<unsigned char>(s[1]) - static_cast<unsigned char>(s[0]);
  if (step != 1 && step != -1) return false;
  for (std::size_t i = 2; i < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) - static_cast<unsigned char>(s[i - 1]) != step) return false;
  return true;
}

// Splits on anything that is not a letter or digit in ASCII, so "jean.dupont"
// and "Jean Dupont" both yield "jean" and "dupont"; non-ASCII bytes stay in words.
std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> words;
  std::string word;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool sep = c < 0x80 && !std::isalnum(c);
    if (!sep) word += ch;
    if (sep && !word.empty()) words.push_back(std::exchange(word, {}));
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

}  // namespace

const char* to_string(PasswordProblem problem) {
  switch (problem) {
    case PasswordProblem::Empty: return "empty";
    case PasswordProblem::TooShort: return "too_short";
    case PasswordProblem::TooLong: return "too_long";
    case PasswordProblem::InvalidUtf8: return "invalid_utf8";
    case PasswordProblem::Common: return "common";
    case PasswordProblem::ContainsContext: return "contains_context";
    case PasswordProblem::Repetitive: return "repetitive";
    case PasswordProblem::Mismatch: return "mismatch";
    case PasswordProblem::Guessable: return "guessable";
  }
  return "unknown";
}

std::optional<std::string> normalize_password(std::string_view password) {
  if (!is_valid_utf8(password) || u8_check(bytes(password), password.size()) != nullptr) return std::nullopt;
  if (password.empty()) return std::string();
  std::size_t len = 0;
  std::uint8_t* buf = u8_normalize(UNINORM_NFKC, bytes(password), password.size(), nullptr, &len);
  if (!buf) return std::nullopt;  // only on out-of-memory, input was checked
  return take(buf, len);
}

PasswordPolicy::PasswordPolicy(PasswordPolicyConfig config, std::shared_ptr<const PasswordBlocklist> blocklist)
    : config_(config), strength_(std::move(blocklist)) {}

tl::expected<std::string, PasswordProblem> PasswordPolicy::check(std::string_view password,
                                                                 const std::vector<std::string>& context) const {
  auto found = issues(password, context);
  if (!found.empty()) return tl::unexpected(found.front().problem);
  return *normalize_password(password);  // issues() checked it is valid
}

std::vector<PasswordIssue> PasswordPolicy::issues(std::string_view password,
                                                  const std::vector<std::string>& context) const {
  if (password.empty()) return {{PasswordProblem::Empty}};
  // Cheap bound before NFKC, which can expand its input: generous enough
  // (decomposed Hangul takes 9 bytes per normalised code point) that only
  // absurd inputs stop here.
  if (password.size() / 16 > config_.max_length) return {{PasswordProblem::TooLong}};
  auto normalized = normalize_password(password);
  if (!normalized) return {{PasswordProblem::InvalidUtf8}};
  std::vector<PasswordIssue> found;
  const std::size_t length = code_points(*normalized);
  if (length < config_.min_length) found.push_back({PasswordProblem::TooShort});
  if (length > config_.max_length) return {{PasswordProblem::TooLong}};
  if (is_repetitive(*normalized)) found.push_back({PasswordProblem::Repetitive});
  const std::string folded = lower(*normalized);
  for (std::size_t i = 0; i < context.size(); ++i) {
    const auto entry_nf = normalize_password(context[i]);
    if (!entry_nf) continue;  // context is ours (identifiers, names); skip what cannot match
    // The words as spelt in the entry (to name them) and folded (to compare).
    for (const auto& word : words_of(*entry_nf)) {
      if (code_points(word) < 4 || folded.find(lower(word)) == std::string::npos) continue;
      found.push_back({PasswordProblem::ContainsContext, i, word});
      break;  // one word an entry is enough to name it
    }
  }
  // After the context check, so that "jdupont2024!" is told it holds the identifier.
  if (found.empty())
    if (auto weak = strength_.weakness(*normalized, context))
      found.push_back({*weak == PasswordWeakness::CommonWord ? PasswordProblem::Common : PasswordProblem::Guessable});
  return found;
}

}  // namespace portier
