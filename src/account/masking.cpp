#include "account/masking.h"

namespace portier {

std::string mask_email(std::string_view email) {
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0) return "•••";
  return std::string(email.substr(0, 1)) + "•••••" + std::string(email.substr(at));
}

std::string mask_phone(std::string_view e164) {
  if (e164.size() < 4) return "••";
  return "•• •• •• •• " + std::string(e164.substr(e164.size() - 2));
}

}  // namespace portier
