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
  // One word, one message: "claire.martin" and "Martin" are named once, as
  // her name; a word of her identifier, once the identifier is refused, is
  // not named again as her email address or name.
  bool identifier_refused = false;
  std::vector<std::string> name_words;
  for (const auto& issue : issues) {
    if (issue.problem != PasswordProblem::ContainsContext) continue;
    if (issue.context_index == 1) identifier_refused = true;
    if (issue.context_index >= 3) name_words.push_back(ascii_lower(issue.word));
  }
  const std::string identifier = context.size() > 1 ? ascii_lower(context[1]) : std::string();
  auto said_already = [&](const PasswordIssue& issue) {
    if (issue.problem != PasswordProblem::ContainsContext || issue.context_index < 2) return false;
    auto word = ascii_lower(issue.word);
    if (identifier_refused && identifier.find(word) != std::string::npos) return true;
    return issue.context_index == 2 && std::find(name_words.begin(), name_words.end(), word) != name_words.end();
  };
  std::vector<std::string> ids;
  for (const auto& issue : issues) {
    if (said_already(issue)) continue;
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
