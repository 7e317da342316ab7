#include "oidc/client.h"

namespace portier::oidc {

std::string_view to_string(ClientAuthMethod method) {
  switch (method) {
    case ClientAuthMethod::ClientSecretBasic: return "client_secret_basic";
    case ClientAuthMethod::ClientSecretPost: return "client_secret_post";
    case ClientAuthMethod::PrivateKeyJwt: return "private_key_jwt";
    case ClientAuthMethod::None: return "none";
  }
  return "none";
}

std::optional<ClientAuthMethod> parse_client_auth_method(std::string_view text) {
  for (auto m : {ClientAuthMethod::ClientSecretBasic, ClientAuthMethod::ClientSecretPost,
                 ClientAuthMethod::PrivateKeyJwt, ClientAuthMethod::None})
    if (to_string(m) == text) return m;
  return std::nullopt;
}

std::string_view to_string(AccessTokenFormat format) {
  return format == AccessTokenFormat::Jwt ? "jwt" : "opaque";
}

std::optional<AccessTokenFormat> parse_access_token_format(std::string_view text) {
  if (text == "jwt") return AccessTokenFormat::Jwt;
  if (text == "opaque") return AccessTokenFormat::Opaque;
  return std::nullopt;
}

}  // namespace portier::oidc
