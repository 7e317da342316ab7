#pragma once
// Decides whether a new password is acceptable (NIST SP 800-63B: length,
// blocklist, context words; no composition rules). Never stores a password.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace portier {

enum class PasswordProblem { Empty, TooShort, TooLong, InvalidUtf8, Common, ContainsContext, Repetitive, Mismatch };

// Stable ids used as i18n keys ("too_short", ...).
const char* to_string(PasswordProblem problem);

// NFKC form of a UTF-8 password, nullopt for invalid UTF-8. Used both when a
// password is set and at sign-in, so "ﬁ" and "fi" are the same password.
std::optional<std::string> normalize_password(std::string_view password);

struct PasswordPolicyConfig {
  std::size_t min_length = 12;   // in code points
  std::size_t max_length = 256;  // in code points
};

// Known-common passwords, lower-cased. Loaded once at startup and shared
// read-only, so concurrent contains() calls need no lock.
class PasswordBlocklist {
public:
  // john-data format: "#!comment" lines skipped. A missing file gives an empty
  // list; the caller logs it (size() == 0).
  static PasswordBlocklist from_file(const std::string& path);
  static PasswordBlocklist from_words(std::vector<std::string> words);

  bool contains(std::string_view lowercase_password) const;
  std::size_t size() const { return words_.size(); }

private:
  explicit PasswordBlocklist(std::vector<std::string> words);
  std::vector<std::string> words_;  // sorted, unique, lower-cased
};

class PasswordPolicy {
public:
  PasswordPolicy(PasswordPolicyConfig config, std::shared_ptr<const PasswordBlocklist> blocklist);

  // The normalised password to hash, or the first problem found. context:
  // portal name, identifier, email local part, display name; entries are split
  // into words and words of 4+ code points must not appear in the password.
  tl::expected<std::string, PasswordProblem> check(std::string_view password,
                                                   const std::vector<std::string>& context) const;

  const PasswordPolicyConfig& config() const { return config_; }

private:
  PasswordPolicyConfig config_;
  std::shared_ptr<const PasswordBlocklist> blocklist_;
};

}  // namespace portier
