#pragma once
// The token side over real stores on in-memory SQLite (the clients' table
// included), a key ring with cached keys (an RSA key takes a while to make)
// and a small in-memory ClientStore: for token_service_test.cpp and
// client_authentication_test.cpp.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <map>

#include "oidc/client_authentication.h"
#include "oidc/client_secret.h"
#include "oidc/client_store.h"
#include "oidc/key_ring.h"
#include "oidc/token_service.h"
#include "storage/stores/sql_oidc_access_token_store.h"
#include "storage/stores/sql_oidc_code_store.h"
#include "storage/stores/sql_oidc_refresh_token_store.h"
#include "storage/stores/sql_signing_key_store.h"
#include "support/sqlite_fixture.h"

namespace portier::oidc::test {

class MemoryClientStore final : public ClientStore {
public:
  Result<void> create(const Client& c) override {
    if (clients_.count(c.client_id)) return fail(ErrorCode::Conflict, "exists");
    clients_[c.client_id] = c;
    return {};
  }
  Result<Client> find(std::string_view id) override {
    auto it = clients_.find(std::string(id));
    if (it == clients_.end()) return fail(ErrorCode::NotFound, "no client");
    return it->second;
  }
  Result<std::vector<Client>> list() override {
    std::vector<Client> out;
    for (auto& [id, c] : clients_) out.push_back(c);
    return out;
  }
  Result<void> update(const Client& c) override {
    clients_[c.client_id] = c;
    return {};
  }
  Result<void> set_secret(std::string_view id, std::string_view hash, TimePoint) override {
    clients_[std::string(id)].secret_hash = hash;
    return {};
  }
  Result<void> remove(std::string_view id) override {
    clients_.erase(std::string(id));
    return {};
  }

private:
  std::map<std::string, Client> clients_;
};

// Two keys per algorithm made once per process (active and next).
inline Result<jose::SigningKey> cached_key(jose::JwsAlg alg, int index) {
  static std::map<std::pair<int, int>, jose::SigningKey> cache;
  auto k = std::pair{static_cast<int>(alg), index % 2};
  if (auto it = cache.find(k); it != cache.end()) return it->second;
  Result<jose::SigningKey> made = fail(ErrorCode::Internal, "none");
  if (alg == jose::JwsAlg::RS256) {
    // 2048 bits: the smallest RS256 accepts, made in a tenth of a second.
    EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, raw, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    made = jose::SigningKey::from_pem(alg, std::string_view(data, static_cast<size_t>(len)));
    BIO_free(bio);
    EVP_PKEY_free(raw);
  } else {
    made = jose::SigningKey::generate(alg);
  }
  if (!made) return made;
  cache.emplace(k, *made);
  return made;
}

class TokenFixture : public ::testing::Test {
protected:
  void SetUp() override {
    using namespace storage;
    codes_ = std::make_unique<SqlOidcCodeStore>(s_.db);
    refresh_ = std::make_unique<SqlOidcRefreshTokenStore>(s_.db);
    access_ = std::make_unique<SqlOidcAccessTokenStore>(s_.db);
    replay_ = std::make_unique<SqlAssertionReplayCache>(s_.db);
    key_store_ = std::make_unique<SqlSigningKeyStore>(s_.db);
    int made = 0;
    ring_ = std::make_unique<KeyRing>(
        *key_store_, secrets_, random_, s_.clock, RotationPolicy{},
        std::vector<jose::JwsAlg>{jose::JwsAlg::RS256, jose::JwsAlg::ES256, jose::JwsAlg::EdDSA},
        [made](jose::JwsAlg alg) mutable { return cached_key(alg, made++); });
    ASSERT_TRUE(ring_->maintain());
    TokenSettings settings;
    settings.issuer = "https://portail.example";
    service_ = std::make_unique<TokenService>(*s_.accounts, *codes_, *refresh_, *access_, *ring_, secrets_, random_,
                                              s_.clock, settings);
    Account a;
    a.identifier = "mcurie";
    a.email = "marie@example.org";
    a.display_name = "Marie Curie";
    a.status = AccountStatus::Active;
    a.rpps = "10001234567";
    a.phone = "+33612345678";
    auto created = s_.accounts->create(a);
    ASSERT_TRUE(created) << created.error().detail;
    member_ = *created;
    app_ = add_client("app");
  }

  // Registered in the in-memory store and, for the foreign keys, in the table.
  Client add_client(const std::string& id, ClientAuthMethod method = ClientAuthMethod::ClientSecretBasic) {
    Client c;
    c.client_id = id;
    c.name = id;
    c.auth_method = method;
    c.is_public = method == ClientAuthMethod::None;
    if (method == ClientAuthMethod::ClientSecretBasic || method == ClientAuthMethod::ClientSecretPost)
      c.secret_hash = hash_client_secret(secrets_, "secret-of-" + id);
    c.redirect_uris = {"https://" + id + ".example/cb"};
    c.id_token_claims = {"email"};
    c.grant_types = {"authorization_code", "refresh_token", "client_credentials"};
    c.scopes = {"openid", "profile", "email", "phone", "offline_access", "rpps", "roles", "api.read"};
    EXPECT_TRUE(clients_.create(c));
    auto lease = s_.db->acquire();
    auto done = lease.run(
        "INSERT INTO oidc_clients (client_id, name, auth_method, id_token_alg, access_token_format, created_at,"
        " updated_at) VALUES (?, ?, 'client_secret_basic', 'RS256', 'opaque', ?, ?)",
        id, id, s_.clock.now(), s_.clock.now());
    EXPECT_TRUE(done) << (done ? "" : done.error().detail);
    return c;
  }

  CodeGrant grant(std::vector<std::string> scopes = {"openid", "profile", "email"}) {
    CodeGrant g;
    g.client_id = app_.client_id;
    g.account_id = member_.id;
    g.sid = "sid-of-session";
    g.redirect_uri = app_.redirect_uris[0];
    g.scopes = std::move(scopes);
    g.nonce = "n-0S6_WzA2Mj";
    // RFC 7636 appendix B.
    g.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    g.auth_time = s_.clock.now() - std::chrono::minutes(3);
    g.amr = {"pwd", "otp"};
    g.acr = "urn:portier:acr:mfa";
    return g;
  }
  static constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

  testing_support::SqliteStores s_;
  SecretHasher secrets_{std::string(32, 'k')};
  testing_support::CountingRandom random_;
  std::unique_ptr<storage::SqlOidcCodeStore> codes_;
  std::unique_ptr<storage::SqlOidcRefreshTokenStore> refresh_;
  std::unique_ptr<storage::SqlOidcAccessTokenStore> access_;
  std::unique_ptr<storage::SqlAssertionReplayCache> replay_;
  std::unique_ptr<storage::SqlSigningKeyStore> key_store_;
  std::unique_ptr<KeyRing> ring_;
  std::unique_ptr<TokenService> service_;
  MemoryClientStore clients_;
  Account member_;
  Client app_;
};

}  // namespace portier::oidc::test
