#include "account/identifiers.h"

#include "common/encoding.h"

namespace portier {

std::optional<std::string> normalize_identifier(std::string_view raw) {
  auto s = ascii_lower(trim(raw));
  if (s.size() < 3 || s.size() > 64) return std::nullopt;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '@';
    if (!ok) return std::nullopt;
  }
  return s;
}

std::optional<std::string> normalize_email(std::string_view raw) {
  auto s = std::string(trim(raw));
  if (s.empty() || s.size() > 254) return std::nullopt;
  auto at = s.rfind('@');
  if (at == std::string::npos || at == 0 || at == s.size() - 1) return std::nullopt;
  if (s.find('@') != at) return std::nullopt;
  for (unsigned char c : s)
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '\\')
      return std::nullopt;
  auto domain = ascii_lower(std::string_view(s).substr(at + 1));
  if (domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string::npos)
    return std::nullopt;
  return s.substr(0, at + 1) + domain;
}

std::optional<std::string> normalize_phone(std::string_view raw, std::string_view default_country_code) {
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == ' ' || c == '.' || c == '-' || c == '(' || c == ')') continue;
    if (c == '+' && digits.empty() && !plus) { plus = true; continue; }
    if (c < '0' || c > '9') return std::nullopt;
    digits.push_back(c);
  }
  if (!plus) {
    if (digits.rfind("00", 0) == 0) {
      digits = digits.substr(2);
    } else {
      if (digits.empty() || digits[0] != '0') return std::nullopt;
      std::string cc(default_country_code);
      if (!cc.empty() && cc[0] == '+') cc.erase(0, 1);
      digits = cc + digits.substr(1);
    }
  }
  // E.164: up to 15 digits, country code never starts with 0.
  if (digits.size() < 8 || digits.size() > 15 || digits[0] == '0') return std::nullopt;
  return "+" + digits;
}

std::optional<std::string> normalize_rpps(std::string_view raw) {
  auto s = std::string(trim(raw));
  if (s.size() != 11) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  return s;
}

}  // namespace portier
