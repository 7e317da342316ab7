#pragma once
// How guessable a new password is: a packaged estimator (zxcvbn, Debian
// libzxcvbn-dev) and the configured word lists (French and English
// dictionaries, john's common passwords). Pure logic over data loaded once
// at start; never stores or logs a password.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace portier {

// Words no password may be, after normalisation (case-folded, trailing
// digits and symbols stripped, leet undone). Kept as a sorted vector of
// 64-bit hashes of the folded words: 8 bytes a word (the default French +
// English + john lists, 441,615 words, take 3.4 MiB against ~30 MB for a set
// of strings), ~115 ms to load, a binary search per lookup, and a false match
// once in 2^64 / n tries (build/bench_password). Shared read-only after loading, so concurrent contains() needs no lock.
class PasswordWordlist {
public:
  // Every file must be readable: a missing list is an error naming it (the
  // server refuses to start rather than silently accept common passwords).
  // One word a line; john-data's "#!comment" lines are skipped.
  static Result<PasswordWordlist> from_files(const std::vector<std::string>& paths);
  // One file; a missing file gives an empty list (tests, tools).
  static PasswordWordlist from_file(const std::string& path);
  static PasswordWordlist from_words(const std::vector<std::string>& words);

  // `folded`: already case-folded (fold_for_comparison()).
  bool contains(std::string_view folded) const;
  std::size_t size() const { return hashes_.size(); }
  std::size_t memory_bytes() const { return hashes_.capacity() * sizeof(std::uint64_t); }

private:
  void add(std::string_view word);
  void seal();
  std::vector<std::uint64_t> hashes_;  // sorted, unique
};

// Unicode lower case (NFKC) for comparisons only, never hashed as a password.
std::string fold_for_comparison(std::string_view s);

// The forms of a folded password looked up in the word lists: itself, with
// trailing digits, spaces and symbols stripped ("soleil123456" → "soleil"),
// and both with leet substitutions undone ("s0l3il!" → "soleil").
std::vector<std::string> wordlist_candidates(std::string_view folded);

enum class PasswordWeakness {
  CommonWord,  // one word of the lists, give or take digits, symbols and leet
  Guessable,   // zxcvbn estimates fewer guesses than the threshold
};

// zxcvbn's "very unguessable" score starts at 10^10 guesses: at the ~10^4
// argon2id (19 MiB) guesses a second a stolen database allows one GPU, about
// two weeks per account; online, the lockout ceiling (100) makes it moot.
inline constexpr double kMinGuessesLog10 = 10.0;

class PasswordStrength {
public:
  explicit PasswordStrength(std::shared_ptr<const PasswordWordlist> wordlist,
                            double min_guesses_log10 = kMinGuessesLog10);

  // `normalized`: the NFKC form (normalize_password()); `context`: the
  // member's identifier, names, email local part, portal name, given to
  // zxcvbn as words an attacker tries first.
  std::optional<PasswordWeakness> weakness(std::string_view normalized, const std::vector<std::string>& context) const;

  // log10 of zxcvbn's estimated guesses (its entropy in bits × log10 2).
  static double guesses_log10(std::string_view normalized, const std::vector<std::string>& context);

  const PasswordWordlist* wordlist() const { return wordlist_.get(); }

private:
  std::shared_ptr<const PasswordWordlist> wordlist_;
  double min_guesses_log10_;
};

}  // namespace portier
