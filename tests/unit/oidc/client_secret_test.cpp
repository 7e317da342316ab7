#include "oidc/client_secret.h"

#include <gtest/gtest.h>

namespace portier::oidc {
namespace {

Client valid_confidential() {
  Client c;
  c.name = "Agenda";
  c.redirect_uris = {"https://agenda.example.org/callback"};
  return c;
}

TEST(ClientSecret, MadeLongEnoughAndMatchedOnlyByItself) {
  SodiumRandom random;
  SecretHasher secrets(std::string(32, 'k'));
  auto id = generate_client_id(random);
  EXPECT_GE(id.size(), 22u);
  auto secret = generate_client_secret(random);
  EXPECT_GE(secret.size(), 43u);
  EXPECT_EQ(secret.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  auto c = valid_confidential();
  c.secret_hash = hash_client_secret(secrets, secret);
  EXPECT_NE(c.secret_hash, secret);
  EXPECT_TRUE(client_secret_matches(secrets, c, secret));
  EXPECT_FALSE(client_secret_matches(secrets, c, secret + "x"));
  EXPECT_FALSE(client_secret_matches(secrets, c, ""));
  // The same secret under another server key does not match.
  EXPECT_FALSE(client_secret_matches(SecretHasher(std::string(32, 'o')), c, secret));
  // A secret hash left on a public client never lets it authenticate by secret.
  c.is_public = true;
  c.auth_method = ClientAuthMethod::None;
  EXPECT_FALSE(client_secret_matches(secrets, c, secret));
}

TEST(ClientSecret, OnlySecretMethodsUseOne) {
  auto c = valid_confidential();
  EXPECT_TRUE(uses_secret(c));
  c.auth_method = ClientAuthMethod::ClientSecretPost;
  EXPECT_TRUE(uses_secret(c));
  c.auth_method = ClientAuthMethod::PrivateKeyJwt;
  EXPECT_FALSE(uses_secret(c));
  c.is_public = true;
  c.auth_method = ClientAuthMethod::None;
  EXPECT_FALSE(uses_secret(c));
}

}  // namespace
}  // namespace portier::oidc
