#include "oidc/client_secret.h"

namespace portier::oidc {

namespace {
constexpr std::string_view kPurpose = "oidc-client-secret";
}

std::string generate_client_id(Random& random) { return random.token(16); }

std::string generate_client_secret(Random& random) { return random.token(32); }

std::string hash_client_secret(const SecretHasher& secrets, std::string_view secret) {
  return secrets.digest(kPurpose, secret);
}

bool client_secret_matches(const SecretHasher& secrets, const Client& client, std::string_view presented) {
  if (client.secret_hash.empty() || presented.empty() || !uses_secret(client)) return false;
  return constant_time_equal(hash_client_secret(secrets, presented), client.secret_hash);
}

bool uses_secret(const Client& client) {
  return !client.is_public && (client.auth_method == ClientAuthMethod::ClientSecretBasic ||
                               client.auth_method == ClientAuthMethod::ClientSecretPost);
}

}  // namespace portier::oidc
