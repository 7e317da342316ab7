#include "oidc/subject.h"

namespace portier::oidc {

std::string subject_of(const SecretHasher& secrets, AccountId account) {
  // 128 bits of the digest are plenty for uniqueness and keep tokens short.
  return secrets.digest("oidc-sub", std::to_string(account)).substr(0, 32);
}

std::string issuer_of(std::string_view public_url) {
  while (!public_url.empty() && public_url.back() == '/') public_url.remove_suffix(1);
  return std::string(public_url);
}

}  // namespace portier::oidc
