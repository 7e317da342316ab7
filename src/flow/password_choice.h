#pragma once
// The verdict on a new password and its confirmation, with every problem at
// once (a too-short password AND a different confirmation), and the context
// word refused named ("contains_name:Martin"). Used wherever a member
// chooses a password: activation, reset, required change, Mon espace, setup.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credential/password_policy.h"

namespace portier {

struct PasswordChoice {
  std::optional<std::string> normalized;  // the password to hash, when acceptable
  // The password's own problems as problem ids joined by '|', each with an
  // optional ":word" ("too_short|contains_name:Martin"); empty when none.
  std::string password_problem;
  bool mismatch = false;  // the confirmation differs

  bool ok() const { return normalized.has_value(); }
  // One string for the outcomes that carry a single `problem`: the password's
  // problems, then ";mismatch" when the confirmation differs too ("mismatch"
  // alone when it is the only problem).
  std::string encoded() const;
  // field → problem, with the password's field named as the form names it.
  std::map<std::string, std::string> fields(const std::string& password_field = "new_password") const;
};

// `context` is password_context()'s list (flow/sign_in/sign_in_service.h):
// [0] the portal's name, [1] the identifier, [2] the email's local part,
// [3…] the words of the display name; a refused word is named after its kind.
PasswordChoice choose_password(const PasswordPolicy& policy, std::string_view password, std::string_view confirmation,
                               const std::vector<std::string>& context);

// The problem id of one issue: "too_short", "contains_identifier",
// "contains_name:Martin", …
std::string problem_id(const PasswordIssue& issue);

// Back from encoded(): field → problem ("new_password", "confirm_password").
std::map<std::string, std::string> decode_password_problem(std::string_view encoded,
                                                           const std::string& password_field = "new_password");

}  // namespace portier
