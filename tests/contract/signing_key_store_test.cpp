#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>
#include <thread>

#include "common/random.h"
#include "common/secret_hasher.h"
#include "contract/backends.h"
#include "oidc/jose/jws.h"
#include "oidc/key_ring.h"

namespace portier::contract {
namespace {

using oidc::KeyRing;
using oidc::KeyState;
using oidc::StoredSigningKey;
using oidc::jose::JwsAlg;
using std::chrono::days;
using std::chrono::hours;

// ES256 and EdDSA only: their keys are made in microseconds, where an RSA
// 3072 key takes a second; the store and the ring do not depend on the kind
// (RS256 generation is covered by the unit tests).
const std::vector<JwsAlg> kFastAlgs = {JwsAlg::ES256, JwsAlg::EdDSA};

class SigningKeyStoreContract : public StoreContract {
protected:
  oidc::SigningKeyStore& keys() { return *stores_.signing_keys; }

  StoredSigningKey key(std::string kid, JwsAlg alg, KeyState state) {
    StoredSigningKey k;
    k.kid = std::move(kid);
    k.alg = alg;
    k.state = state;
    k.public_jwk = R"({"kty":"OKP"})";
    k.private_box = "box-of-" + k.kid;
    k.created_at = clock_.now();
    if (state == KeyState::Active) k.activated_at = clock_.now();
    return k;
  }

  std::vector<StoredSigningKey> in(KeyState state) {
    std::vector<StoredSigningKey> out;
    auto all = keys().list();  // named: a range-for over *temporary would dangle
    for (auto& k : *all)
      if (k.state == state) out.push_back(k);
    return out;
  }

  std::unique_ptr<KeyRing> ring(const SecretHasher& secrets, std::vector<JwsAlg> algs = kFastAlgs) {
    return std::make_unique<KeyRing>(keys(), secrets, random_, clock_, oidc::RotationPolicy{}, std::move(algs));
  }

  SecretHasher secrets_{std::string(32, 's')};
  SodiumRandom random_;
};

TEST_P(SigningKeyStoreContract, ListReadsBackEveryField) {
  EXPECT_TRUE(keys().list()->empty());
  auto a = key("kid-a", JwsAlg::ES256, KeyState::Active);
  ASSERT_TRUE(*keys().insert_if_free(a));
  auto all = *keys().list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].kid, "kid-a");
  EXPECT_EQ(all[0].alg, JwsAlg::ES256);
  EXPECT_EQ(all[0].state, KeyState::Active);
  EXPECT_EQ(all[0].public_jwk, a.public_jwk);
  EXPECT_EQ(all[0].private_box, "box-of-kid-a");
  EXPECT_EQ(all[0].created_at, clock_.now());
  EXPECT_EQ(all[0].activated_at, clock_.now());
  EXPECT_EQ(all[0].retired_at, std::nullopt);
}

TEST_P(SigningKeyStoreContract, OneActiveAndOneNextKeyPerAlgorithm) {
  EXPECT_TRUE(*keys().insert_if_free(key("a1", JwsAlg::ES256, KeyState::Active)));
  EXPECT_FALSE(*keys().insert_if_free(key("a2", JwsAlg::ES256, KeyState::Active)));
  EXPECT_TRUE(*keys().insert_if_free(key("n1", JwsAlg::ES256, KeyState::Next)));
  EXPECT_FALSE(*keys().insert_if_free(key("n2", JwsAlg::ES256, KeyState::Next)));
  // Another algorithm has its own slots; a kid is never inserted twice.
  EXPECT_TRUE(*keys().insert_if_free(key("a3", JwsAlg::EdDSA, KeyState::Active)));
  EXPECT_FALSE(*keys().insert_if_free(key("n1", JwsAlg::EdDSA, KeyState::Next)));
  EXPECT_FALSE(keys().insert_if_free(key("r", JwsAlg::EdDSA, KeyState::Retired)));
  EXPECT_EQ(keys().list()->size(), 3u);
}

TEST_P(SigningKeyStoreContract, RotateMovesBothSlotsOnceAndAStaleRotationChangesNothing) {
  ASSERT_TRUE(*keys().insert_if_free(key("a1", JwsAlg::ES256, KeyState::Active)));
  ASSERT_TRUE(*keys().insert_if_free(key("n1", JwsAlg::ES256, KeyState::Next)));
  clock_.advance(days(90));
  EXPECT_TRUE(*keys().rotate("a1", "n1", key("n2", JwsAlg::ES256, KeyState::Next), clock_.now()));
  EXPECT_EQ(in(KeyState::Active).at(0).kid, "n1");
  EXPECT_EQ(in(KeyState::Active).at(0).activated_at, clock_.now());
  EXPECT_EQ(in(KeyState::Next).at(0).kid, "n2");
  EXPECT_EQ(in(KeyState::Retired).at(0).kid, "a1");
  EXPECT_EQ(in(KeyState::Retired).at(0).retired_at, clock_.now());
  // The same rotation again (a node that read the keys before): nothing moves.
  EXPECT_FALSE(*keys().rotate("a1", "n1", key("n3", JwsAlg::ES256, KeyState::Next), clock_.now()));
  // The active key is right but the next one changed: rolled back entirely.
  EXPECT_FALSE(*keys().rotate("n1", "a1", key("n4", JwsAlg::ES256, KeyState::Next), clock_.now()));
  EXPECT_EQ(in(KeyState::Active).at(0).kid, "n1");
  EXPECT_EQ(in(KeyState::Next).at(0).kid, "n2");
  EXPECT_EQ(keys().list()->size(), 3u);
}

TEST_P(SigningKeyStoreContract, DeleteRetiredOnlyTakesRetiredKeysPastTheCutoff) {
  ASSERT_TRUE(*keys().insert_if_free(key("a1", JwsAlg::ES256, KeyState::Active)));
  ASSERT_TRUE(*keys().insert_if_free(key("n1", JwsAlg::ES256, KeyState::Next)));
  auto retired_at = clock_.now();
  ASSERT_TRUE(*keys().rotate("a1", "n1", key("n2", JwsAlg::ES256, KeyState::Next), retired_at));
  EXPECT_EQ(*keys().delete_retired(retired_at - Seconds(1)), 0);
  EXPECT_EQ(*keys().delete_retired(retired_at + days(365)), 1);
  EXPECT_EQ(keys().list()->size(), 2u);  // active and next stay, however old
}

// Several nodes start on an empty database at the same moment: one active
// and one next key per algorithm, the same for everyone.
TEST_P(SigningKeyStoreContract, NodesEnsuringKeysAtOnceMakeOneActiveAndOneNextKey) {
  constexpr int kNodes = 4;
  std::vector<std::unique_ptr<KeyRing>> rings;
  for (int i = 0; i < kNodes; ++i) rings.push_back(ring(secrets_));
  std::vector<Result<void>> results(kNodes);
  {
    std::vector<std::jthread> nodes;
    for (int i = 0; i < kNodes; ++i) nodes.emplace_back([&, i] { results[i] = rings[i]->maintain(); });
  }
  for (auto& r : results) ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(in(KeyState::Active).size(), 2u);
  EXPECT_EQ(in(KeyState::Next).size(), 2u);
  for (auto alg : kFastAlgs) {
    std::set<std::string> kids;
    for (auto& r : rings) kids.insert(r->active(alg)->kid);
    EXPECT_EQ(kids.size(), 1u);
  }
}

TEST_P(SigningKeyStoreContract, NodesRotatingAtOnceMakeOneNewKey) {
  auto first = ring(secrets_);
  ASSERT_TRUE(first->maintain());
  auto before = *keys().list();
  clock_.advance(days(90));
  constexpr int kNodes = 4;
  std::vector<std::unique_ptr<KeyRing>> rings;
  for (int i = 0; i < kNodes; ++i) rings.push_back(ring(secrets_));
  std::vector<Result<void>> results(kNodes);
  {
    std::vector<std::jthread> nodes;
    for (int i = 0; i < kNodes; ++i) nodes.emplace_back([&, i] { results[i] = rings[i]->maintain(); });
  }
  for (auto& r : results) ASSERT_TRUE(r) << r.error().detail;
  // Per algorithm: the old active retired, the old next active, one new next.
  EXPECT_EQ(keys().list()->size(), 6u);
  EXPECT_EQ(in(KeyState::Retired).size(), 2u);
  for (auto& k : before)
    if (k.state == KeyState::Next) EXPECT_EQ(first->active(k.alg)->kid, k.kid);
}

TEST_P(SigningKeyStoreContract, TheRingSignsPublishesAndSealsItsKeys) {
  auto r = ring(secrets_, {JwsAlg::EdDSA});
  EXPECT_EQ(r->active(JwsAlg::EdDSA).error().code, ErrorCode::NotFound);
  ASSERT_TRUE(r->maintain());
  auto active = r->active(JwsAlg::EdDSA);
  ASSERT_TRUE(active) << active.error().detail;
  auto jws = oidc::jose::sign_compact(active->key, active->kid, "hello");
  ASSERT_TRUE(jws);
  // A verifier found by the token's kid checks it.
  auto header = oidc::jose::peek_header(*jws);
  auto verifier = r->by_kid(std::string_view(header->at("kid").as_string()));
  ASSERT_TRUE(verifier);
  EXPECT_EQ(oidc::jose::verify_compact(*jws, *verifier)->payload, "hello");
  // The private key is not in the database in clear.
  auto stored = *keys().list();
  for (auto& k : stored) {
    EXPECT_EQ(k.private_box.find("PRIVATE KEY"), std::string::npos);
    EXPECT_EQ(k.public_jwk.find("\"d\""), std::string::npos);
  }
  // JWKS: active and next, no private member.
  auto jwks = r->jwks();
  ASSERT_TRUE(jwks);
  ASSERT_EQ(jwks->at("keys").as_array().size(), 2u);
  for (auto& jwk : jwks->at("keys").as_array()) {
    EXPECT_FALSE(jwk.as_object().contains("d"));
    EXPECT_EQ(jwk.as_object().at("alg").as_string(), "EdDSA");
  }
  // Another server key cannot open them: the server key must be backed up.
  SecretHasher other(std::string(32, 'o'));
  EXPECT_EQ(ring(other, {JwsAlg::EdDSA})->active(JwsAlg::EdDSA).error().code, ErrorCode::Internal);
}

TEST_P(SigningKeyStoreContract, ARetiredKeyLeavesTheJwksWhenItsTokensHaveExpired) {
  auto r = ring(secrets_, {JwsAlg::ES256});
  ASSERT_TRUE(r->maintain());
  auto old_kid = r->active(JwsAlg::ES256)->kid;
  clock_.advance(days(90));
  ASSERT_TRUE(r->maintain());
  EXPECT_NE(r->active(JwsAlg::ES256)->kid, old_kid);
  EXPECT_EQ(r->jwks()->at("keys").as_array().size(), 3u);
  EXPECT_TRUE(r->by_kid(old_kid));
  clock_.advance(r->policy().max_token_lifetime);
  EXPECT_EQ(r->jwks()->at("keys").as_array().size(), 2u);
  EXPECT_EQ(r->by_kid(old_kid).error().code, ErrorCode::NotFound);
  ASSERT_TRUE(r->maintain());
  EXPECT_EQ(keys().list()->size(), 2u);
}

PORTIER_CONTRACT_SUITE(SigningKeyStoreContract);

}  // namespace
}  // namespace portier::contract
