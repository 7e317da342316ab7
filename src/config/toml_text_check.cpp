#include "config/toml_text_check.h"

#include <toml++/toml.h>

namespace portier {

namespace {
bool non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }
bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool opens(char previous) {
  return previous == '\n' || previous == '=' || previous == '[' || previous == ',' || previous == '{' ||
         previous == '.';
}
}  // namespace

std::optional<std::string> toml_text_problem(std::string_view text) {
  // First the structure, read by toml++ with every non-ASCII byte replaced by
  // 'x' (lines unchanged): no character can reach the faulty classification,
  // and a document that is not valid TOML stops here with toml++'s message.
  // Once it is valid, the scan below knows exactly where strings and comments
  // are (a malformed value glued to a string fooled it: config_fuzz).
  std::string ascii(text);
  for (auto& c : ascii)
    if (non_ascii(c)) c = 'x';
  try {
    (void)toml::parse(std::string_view(ascii), std::string_view("portier.toml"));
  } catch (const toml::parse_error& e) {
    return std::string(e.description()) + " (line " + std::to_string(e.source().begin.line) + ")";
  }
  enum class State { Code, Comment, Basic, Literal, MultiBasic, MultiLiteral } state = State::Code;
  int line = 1;
  auto problem = [&](const char* what) { return "line " + std::to_string(line) + ": " + what; };
  char previous = '\n';  // the last non-blank character seen in Code
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (state == State::Code && i > 0 && text[i - 1] != ' ' && text[i - 1] != '\t') previous = text[i - 1];
    auto rest = text.substr(i);
    switch (state) {
      case State::Code:
        // In TOML a quote opens a key or a value only after one of these
        // (blanks aside); anywhere else the text is invalid, and toml++
        // need not agree with this scan about where its string ends.
        if ((c == '"' || c == '\'') && !opens(previous))
          return problem("a quote right after a value (put a space, '=' or ',' before it)");
        if (c == '#') state = State::Comment;
        else if (rest.starts_with("\"\"\"")) { state = State::MultiBasic; i += 2; }
        else if (rest.starts_with("'''")) { state = State::MultiLiteral; i += 2; }
        else if (c == '"') state = State::Basic;
        else if (c == '\'') state = State::Literal;
        else if (non_ascii(c))
          return problem("a character outside the ASCII range outside quotes (keys are ASCII; quote text values)");
        break;
      case State::Comment:
        if (c == '\n') state = State::Code;
        break;
      case State::Basic:
        if (c == '\\') ++i;  // an escaped character, including \" (a line break here is an error toml++ reports)
        else if (c == '"' || c == '\n') state = State::Code;
        break;
      case State::Literal:
        if (c == '\'' || c == '\n') state = State::Code;
        break;
      case State::MultiBasic:
        if (rest.starts_with("\"\"\"")) { state = State::Code; i += 2; }
        else if (c == '\\') {
          // A line-ending backslash trims the blanks that follow; the first
          // character after them must not be outside ASCII.
          auto j = i + 1;
          while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
          if (j < text.size() && (text[j] == '\n' || text[j] == '\r')) {
            while (j < text.size() && blank(text[j])) line += text[j++] == '\n';
            if (j < text.size() && non_ascii(text[j]))
              return problem("a character outside the ASCII range right after a line-ending backslash");
            i = j - 1;
            continue;  // the line breaks up to j are counted
          } else {
            ++i;  // an escaped character
          }
        }
        break;
      case State::MultiLiteral:
        if (rest.starts_with("'''")) { state = State::Code; i += 2; }
        break;
    }
    if (i < text.size() && text[i] == '\n') ++line;
  }
  return std::nullopt;
}

}  // namespace portier
