// oidc::ClientStore on every backend: every field reads back as written,
// client_ids are unique, update leaves the secret alone, set_secret and
// remove address one client and say NotFound for none.
#include <gtest/gtest.h>

#include "contract/backends.h"

namespace portier::contract {
namespace {

using oidc::Client;
using oidc::ClientAuthMethod;
using oidc::AccessTokenFormat;

class ClientStoreContract : public StoreContract {
protected:
  oidc::ClientStore& clients() { return *stores_.clients; }

  Client client(std::string id, std::string name) {
    Client c;
    c.client_id = std::move(id);
    c.name = std::move(name);
    c.secret_hash = "hash-of-" + c.client_id;
    c.redirect_uris = {"https://app.example.org/cb", "http://127.0.0.1:8080/cb?x=\"1\""};
    c.created_at = clock_.now();
    c.updated_at = clock_.now();
    return c;
  }
};

TEST_P(ClientStoreContract, EveryFieldReadsBack) {
  Client c = client("cid-full", "Dossier « partagé » d’Hélène");
  c.is_public = true;
  c.trusted = true;
  c.post_logout_redirect_uris = {"https://app.example.org/bye"};
  c.backchannel_logout_uri = "https://app.example.org/logout";
  c.auth_method = ClientAuthMethod::PrivateKeyJwt;
  c.jwks = R"({"keys":[{"kty":"OKP","crv":"Ed25519","x":"abc"}]})";
  c.id_token_alg = "EdDSA";
  c.grant_types = {"authorization_code", "client_credentials"};
  c.scopes = {"openid", "rpps", "roles"};
  c.access_token_format = AccessTokenFormat::Jwt;
  c.access_token_audience = "https://api.example.org";
  c.id_token_claims = {"email", "rpps"};
  c.require_pkce = false;
  c.secret_rotated_at = clock_.now();
  ASSERT_TRUE(clients().create(c));
  auto got = clients().find("cid-full");
  ASSERT_TRUE(got) << got.error().detail;
  EXPECT_EQ(got->client_id, c.client_id);
  EXPECT_EQ(got->name, c.name);
  EXPECT_EQ(got->secret_hash, c.secret_hash);
  EXPECT_TRUE(got->is_public);
  EXPECT_TRUE(got->trusted);
  EXPECT_EQ(got->redirect_uris, c.redirect_uris);
  EXPECT_EQ(got->post_logout_redirect_uris, c.post_logout_redirect_uris);
  EXPECT_EQ(got->backchannel_logout_uri, c.backchannel_logout_uri);
  EXPECT_EQ(got->auth_method, ClientAuthMethod::PrivateKeyJwt);
  EXPECT_EQ(got->jwks, c.jwks);
  EXPECT_EQ(got->id_token_alg, "EdDSA");
  EXPECT_EQ(got->grant_types, c.grant_types);
  EXPECT_EQ(got->scopes, c.scopes);
  EXPECT_EQ(got->access_token_format, AccessTokenFormat::Jwt);
  EXPECT_EQ(got->access_token_audience, c.access_token_audience);
  EXPECT_EQ(got->id_token_claims, c.id_token_claims);
  EXPECT_FALSE(got->require_pkce);
  EXPECT_EQ(got->created_at, clock_.now());
  EXPECT_EQ(got->updated_at, clock_.now());
  EXPECT_EQ(got->secret_rotated_at, clock_.now());
}

TEST_P(ClientStoreContract, DefaultsAndEmptyListsReadBack) {
  Client c = client("cid-plain", "Plain");
  c.redirect_uris.clear();
  c.scopes.clear();
  ASSERT_TRUE(clients().create(c));
  auto got = clients().find("cid-plain");
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->redirect_uris.empty());
  EXPECT_TRUE(got->scopes.empty());
  EXPECT_EQ(got->grant_types, (std::vector<std::string>{"authorization_code", "refresh_token"}));
  EXPECT_EQ(got->auth_method, ClientAuthMethod::ClientSecretBasic);
  EXPECT_EQ(got->access_token_format, AccessTokenFormat::Opaque);
  EXPECT_TRUE(got->require_pkce);
  EXPECT_EQ(got->secret_rotated_at, std::nullopt);
}

TEST_P(ClientStoreContract, ClientIdsAreUnique) {
  ASSERT_TRUE(clients().create(client("cid-1", "One")));
  auto again = clients().create(client("cid-1", "Other"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::Conflict);
  EXPECT_EQ(clients().find("cid-1")->name, "One");
}

TEST_P(ClientStoreContract, FindSaysNotFound) {
  auto none = clients().find("nobody");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::NotFound);
}

TEST_P(ClientStoreContract, ListIsByName) {
  ASSERT_TRUE(clients().create(client("cid-b", "beta")));
  ASSERT_TRUE(clients().create(client("cid-a", "Alpha")));
  ASSERT_TRUE(clients().create(client("cid-c", "Gamma")));
  auto all = clients().list();
  ASSERT_TRUE(all) << all.error().detail;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].client_id, "cid-a");
  EXPECT_EQ((*all)[1].client_id, "cid-b");
  EXPECT_EQ((*all)[2].client_id, "cid-c");
}

TEST_P(ClientStoreContract, UpdateReplacesTheRegistrationButNotSecretOrCreation) {
  auto c = client("cid-u", "Before");
  ASSERT_TRUE(clients().create(c));
  clock_.advance(std::chrono::hours(1));
  c.name = "After";
  c.secret_hash = "ignored";
  c.created_at = clock_.now();
  c.updated_at = clock_.now();
  c.redirect_uris = {"https://new.example.org/cb"};
  c.trusted = true;
  c.scopes = {"openid"};
  ASSERT_TRUE(clients().update(c));
  auto got = clients().find("cid-u");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name, "After");
  EXPECT_EQ(got->redirect_uris, c.redirect_uris);
  EXPECT_TRUE(got->trusted);
  EXPECT_EQ(got->scopes, c.scopes);
  EXPECT_EQ(got->secret_hash, "hash-of-cid-u");
  EXPECT_EQ(got->created_at, clock_.now() - std::chrono::hours(1));
  EXPECT_EQ(got->updated_at, clock_.now());
  auto missing = clients().update(client("cid-none", "x"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

TEST_P(ClientStoreContract, SetSecretChangesOnlyThatClient) {
  ASSERT_TRUE(clients().create(client("cid-1", "One")));
  ASSERT_TRUE(clients().create(client("cid-2", "Two")));
  clock_.advance(std::chrono::minutes(5));
  ASSERT_TRUE(clients().set_secret("cid-1", "new-hash", clock_.now()));
  auto one = clients().find("cid-1");
  EXPECT_EQ(one->secret_hash, "new-hash");
  EXPECT_EQ(one->secret_rotated_at, clock_.now());
  EXPECT_EQ(one->updated_at, clock_.now());
  EXPECT_EQ(clients().find("cid-2")->secret_hash, "hash-of-cid-2");
  auto missing = clients().set_secret("cid-none", "h", clock_.now());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

TEST_P(ClientStoreContract, RemoveDeletesOneClient) {
  ASSERT_TRUE(clients().create(client("cid-1", "One")));
  ASSERT_TRUE(clients().create(client("cid-2", "Two")));
  ASSERT_TRUE(clients().remove("cid-1"));
  EXPECT_EQ(clients().find("cid-1").error().code, ErrorCode::NotFound);
  EXPECT_TRUE(clients().find("cid-2"));
  auto again = clients().remove("cid-1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::NotFound);
}

PORTIER_CONTRACT_SUITE(ClientStoreContract);

}  // namespace
}  // namespace portier::contract
