#include "flow/password_choice.h"

#include <algorithm>

#include "common/encoding.h"

namespace portier {

namespace {

constexpr std::string_view kMismatch = "mismatch";

// The separators of the encoding cannot appear inside a named word.
std::string clean(std::string word) {
  word.erase(std::remove_if(word.begin(), word.end(), [](char c) { return c == '|' || c == ';' || c == ':'; }),
             word.end());
  return word;
}

}  // namespace

std::string problem_id(const PasswordIssue& issue) {
  if (issue.problem != PasswordProblem::ContainsContext) return to_string(issue.problem);
  switch (issue.context_index) {
    case 0: return "contains_portal:" + clean(issue.word);
    case 1: return "contains_identifier";  // she knows it; naming it adds nothing
    case 2: return "contains_email:" + clean(issue.word);
    default: return "contains_name:" + clean(issue.word);
  }
}

PasswordChoice choose_password(const PasswordPolicy& policy, std::string_view password, std::string_view confirmation,
                               const std::vector<std::string>& context) {
  PasswordChoice choice;
  auto issues = policy.issues(password, context);
  // One word, one message. The identifier is named when the password holds
  // all of it; a word of it that is also her name ("martin" of
  // "claire.martin") is named as her name, which she recognises better.
  // Words of a named identifier are not named again, and a word of her
  // email address that is also her name is named as her name.
  const std::string pw = ascii_lower(password);
  const std::string identifier = context.size() > 1 ? ascii_lower(context[1]) : std::string();
  std::vector<std::string> name_words;
  for (const auto& issue : issues)
    if (issue.problem == PasswordProblem::ContainsContext && issue.context_index >= 3)
      name_words.push_back(ascii_lower(issue.word));
  auto is_name_word = [&](const std::string& w) {
    return std::find(name_words.begin(), name_words.end(), w) != name_words.end();
  };
  bool identifier_named = false;
  for (const auto& issue : issues)
    if (issue.problem == PasswordProblem::ContainsContext && issue.context_index == 1)
      identifier_named = pw.find(identifier) != std::string::npos || !is_name_word(ascii_lower(issue.word));
  auto said_otherwise = [&](const PasswordIssue& issue) {
    if (issue.problem != PasswordProblem::ContainsContext || issue.context_index < 1) return false;
    auto word = ascii_lower(issue.word);
    if (issue.context_index == 1) return !identifier_named;
    if (identifier_named && identifier.find(word) != std::string::npos) return true;
    return issue.context_index == 2 && is_name_word(word);
  };
  std::vector<std::string> ids;
  for (const auto& issue : issues) {
    if (said_otherwise(issue)) continue;
    auto id = problem_id(issue);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
  }
  for (const auto& id : ids) choice.password_problem += (choice.password_problem.empty() ? "" : "|") + id;
  // An empty password is told to be required; its confirmation need not match it.
  choice.mismatch = !password.empty() && password != confirmation;
  if (ids.empty() && !choice.mismatch) choice.normalized = normalize_password(password);
  return choice;
}

std::string PasswordChoice::encoded() const {
  if (!mismatch) return password_problem;
  if (password_problem.empty()) return std::string(kMismatch);  // as before: one id
  return password_problem + ";" + std::string(kMismatch);
}

std::map<std::string, std::string> PasswordChoice::fields(const std::string& password_field) const {
  return decode_password_problem(encoded(), password_field);
}

std::map<std::string, std::string> decode_password_problem(std::string_view encoded,
                                                           const std::string& password_field) {
  std::map<std::string, std::string> out;
  auto semi = encoded.find(';');
  auto own = encoded.substr(0, semi);
  auto rest = semi == std::string_view::npos ? std::string_view() : encoded.substr(semi + 1);
  // Older single ids ("mismatch", "same_as_current") arrive without ';'.
  if (own == kMismatch) {
    own = {};
    rest = kMismatch;
  }
  if (!own.empty()) out[password_field] = std::string(own);
  if (rest == kMismatch) out["confirm_password"] = std::string(kMismatch);
  return out;
}

}  // namespace portier
