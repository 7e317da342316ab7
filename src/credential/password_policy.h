#pragma once
// Decides whether a new password is acceptable (NIST SP 800-63B: length,
// common words and guessability (password_strength.h), context words; no
// composition rules). Never stores a password.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "credential/password_strength.h"

namespace portier {

// Common: one word of the configured lists (give or take digits, symbols and
// leet); Guessable: zxcvbn's estimate is under the threshold (password_strength.h).
enum class PasswordProblem { Empty, TooShort, TooLong, InvalidUtf8, Common, ContainsContext, Repetitive, Mismatch, Guessable };

// Stable ids used as i18n keys ("too_short", ...).
const char* to_string(PasswordProblem problem);

// NFKC form of a UTF-8 password, nullopt for invalid UTF-8. Used both when a
// password is set and at sign-in, so "ﬁ" and "fi" are the same password.
std::optional<std::string> normalize_password(std::string_view password);

struct PasswordPolicyConfig {
  std::size_t min_length = 12;   // in code points
  std::size_t max_length = 256;  // in code points
};

// The word lists of password_strength.h under their older name, so callers
// that build a policy from a list keep compiling.
using PasswordBlocklist = PasswordWordlist;

// One problem of a password; for ContainsContext, which context entry (its
// index in the `context` given) and the word of it found in the password,
// spelt as in the entry ("Martin"), so the message can name it.
struct PasswordIssue {
  PasswordProblem problem;
  std::size_t context_index = 0;
  std::string word;
};

class PasswordPolicy {
public:
  PasswordPolicy(PasswordPolicyConfig config, std::shared_ptr<const PasswordBlocklist> blocklist);

  // The normalised password to hash, or the first problem found. context:
  // portal name, identifier, email local part, display name; entries are split
  // into words and words of 4+ code points must not appear in the password;
  // the entries are also the words zxcvbn tries first.
  tl::expected<std::string, PasswordProblem> check(std::string_view password,
                                                   const std::vector<std::string>& context) const;
  // Every problem at once, so a form can list them together: length,
  // repetition, each context word found; the word lists and zxcvbn only when
  // nothing else is wrong (a short password is also "guessable": saying so
  // adds nothing). Empty when acceptable; check() reports the first one.
  std::vector<PasswordIssue> issues(std::string_view password, const std::vector<std::string>& context) const;

  const PasswordPolicyConfig& config() const { return config_; }

private:
  PasswordPolicyConfig config_;
  PasswordStrength strength_;
};

}  // namespace portier
