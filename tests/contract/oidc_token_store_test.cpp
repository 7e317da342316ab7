// The token side's stores (oidc/token_store.h) on every backend: codes
// redeemed once by compare-and-set, refresh rotation and family
// revocation, access tokens, the assertion replay cache, and the purge.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "contract/sql_backends.h"
#include "storage/open_database.h"
#include "storage/stores/sql_account_store.h"
#include "storage/stores/sql_oidc_access_token_store.h"
#include "storage/stores/sql_oidc_code_store.h"
#include "storage/stores/sql_oidc_refresh_token_store.h"

namespace portier::contract {
namespace {

using namespace std::chrono_literals;

class OidcTokenStores : public ::testing::TestWithParam<SqlBackend> {
protected:
  void SetUp() override {
    db_ = GetParam().open(4);
    ASSERT_TRUE(storage::migrate_database(*db_));
    accounts_ = std::make_unique<storage::SqlAccountStore>(db_, clock_);
    codes_ = std::make_unique<storage::SqlOidcCodeStore>(db_);
    refresh_ = std::make_unique<storage::SqlOidcRefreshTokenStore>(db_);
    access_ = std::make_unique<storage::SqlOidcAccessTokenStore>(db_);
    replay_ = std::make_unique<storage::SqlAssertionReplayCache>(db_);
    Account a;
    a.identifier = "mcurie";
    a.email = "marie@example.org";
    a.display_name = "Marie Curie";
    auto created = accounts_->create(a);
    ASSERT_TRUE(created);
    member_ = created->id;
    add_client("app");
    add_client("other");
  }

  // The clients' table belongs to the registration side; the minimum row.
  void add_client(const std::string& id) {
    auto lease = db_->acquire();
    auto done = lease.run(
        "INSERT INTO oidc_clients (client_id, name, auth_method, id_token_alg, access_token_format, created_at,"
        " updated_at) VALUES (?, ?, 'client_secret_basic', 'RS256', 'opaque', ?, ?)",
        id, id, clock_.now(), clock_.now());
    ASSERT_TRUE(done) << done.error().detail;
  }

  oidc::CodeGrant grant() {
    oidc::CodeGrant g;
    g.client_id = "app";
    g.account_id = member_;
    g.sid = "sid-1";
    g.redirect_uri = "https://app.example/cb";
    g.scopes = {"openid", "profile"};
    g.nonce = "n-0S6";
    g.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    g.auth_time = clock_.now() - 5min;
    g.amr = {"pwd", "otp"};
    g.acr = "urn:portier:acr:mfa";
    g.id_token_claims = {"email"};
    return g;
  }

  oidc::RefreshToken refresh_token(std::string hash, std::string family, std::vector<std::string> scopes = {"openid"}) {
    oidc::RefreshToken t;
    t.token_hash = std::move(hash);
    t.family_id = std::move(family);
    t.client_id = "app";
    t.account_id = member_;
    t.sid = "sid-1";
    t.scopes = std::move(scopes);
    t.auth_time = clock_.now() - 1h;
    t.amr = {"pwd"};
    t.acr = "urn:portier:acr:pwd";
    t.code_hash = "code-1";
    t.created_at = clock_.now();
    t.expires_at = clock_.now() + 24h;
    t.family_expires_at = clock_.now() + 720h;
    return t;
  }

  oidc::AccessTokenRecord access_token(std::string key, std::string family = {}) {
    oidc::AccessTokenRecord t;
    t.token_key = std::move(key);
    t.client_id = "app";
    t.account_id = member_;
    t.sid = "sid-1";
    t.scopes = {"openid", "email"};
    t.audience = "app";
    t.auth_time = clock_.now() - 1h;
    t.family_id = std::move(family);
    t.code_hash = "code-1";
    t.created_at = clock_.now();
    t.expires_at = clock_.now() + 10min;
    return t;
  }

  FakeClock clock_;
  std::shared_ptr<storage::sql::Database> db_;
  std::unique_ptr<storage::SqlAccountStore> accounts_;
  std::unique_ptr<storage::SqlOidcCodeStore> codes_;
  std::unique_ptr<storage::SqlOidcRefreshTokenStore> refresh_;
  std::unique_ptr<storage::SqlOidcAccessTokenStore> access_;
  std::unique_ptr<storage::SqlAssertionReplayCache> replay_;
  AccountId member_ = 0;
};

TEST_P(OidcTokenStores, CodeKeepsItsGrantAndRedeemsOnce) {
  auto g = grant();
  ASSERT_TRUE(codes_->insert("h1", g, clock_.now(), clock_.now() + 60s));
  auto first = codes_->redeem("h1", clock_.now());
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_FALSE(first->reused);
  EXPECT_EQ(first->expires_at, clock_.now() + 60s);
  EXPECT_EQ(first->grant.client_id, "app");
  EXPECT_EQ(first->grant.account_id, member_);
  EXPECT_EQ(first->grant.sid, "sid-1");
  EXPECT_EQ(first->grant.redirect_uri, g.redirect_uri);
  EXPECT_EQ(first->grant.scopes, g.scopes);
  EXPECT_EQ(first->grant.nonce, g.nonce);
  EXPECT_EQ(first->grant.code_challenge, g.code_challenge);
  EXPECT_EQ(first->grant.auth_time, g.auth_time);
  EXPECT_EQ(first->grant.amr, g.amr);
  EXPECT_EQ(first->grant.acr, g.acr);
  EXPECT_EQ(first->grant.id_token_claims, g.id_token_claims);
  auto second = codes_->redeem("h1", clock_.now());
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->reused);
  auto unknown = codes_->redeem("nope", clock_.now());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
}

TEST_P(OidcTokenStores, ConcurrentRedemptionsLetExactlyOneThrough) {
  ASSERT_TRUE(codes_->insert("race", grant(), clock_.now(), clock_.now() + 60s));
  std::atomic<int> fresh{0}, reused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      auto r = codes_->redeem("race", clock_.now());
      if (r && !r->reused) ++fresh;
      if (r && r->reused) ++reused;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(fresh.load(), 1);
  EXPECT_EQ(reused.load(), 3);
}

TEST_P(OidcTokenStores, RefreshRotatesOnceAndKeepsEveryField) {
  auto t = refresh_token("r1", "fam");
  ASSERT_TRUE(refresh_->insert(t));
  auto found = refresh_->find("r1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->family_id, "fam");
  EXPECT_EQ(found->scopes, t.scopes);
  EXPECT_EQ(found->amr, t.amr);
  EXPECT_EQ(found->acr, t.acr);
  EXPECT_EQ(found->auth_time, t.auth_time);
  EXPECT_EQ(found->family_expires_at, t.family_expires_at);
  EXPECT_FALSE(found->rotated_at);
  auto next = refresh_token("r2", "fam");
  auto rotated = refresh_->rotate("r1", next, clock_.now());
  ASSERT_TRUE(rotated);
  EXPECT_TRUE(*rotated);
  auto again = refresh_->rotate("r1", refresh_token("r3", "fam"), clock_.now());
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again) << "a rotated token does not rotate twice";
  EXPECT_FALSE(refresh_->find("r3")) << "the loser's successor is not written";
  auto old = refresh_->find("r1");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->rotated_at, clock_.now());
  EXPECT_EQ(old->replaced_by, "r2");
}

TEST_P(OidcTokenStores, RevokingAFamilyEndsEveryTokenOfIt) {
  ASSERT_TRUE(refresh_->insert(refresh_token("a1", "famA")));
  ASSERT_TRUE(refresh_->rotate("a1", refresh_token("a2", "famA"), clock_.now()));
  ASSERT_TRUE(refresh_->insert(refresh_token("b1", "famB")));
  auto n = refresh_->revoke_family("famA", clock_.now());
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2);
  EXPECT_TRUE(refresh_->find("a2")->revoked_at);
  EXPECT_FALSE(refresh_->find("b1")->revoked_at);
  auto rotated = refresh_->rotate("a2", refresh_token("a3", "famA"), clock_.now());
  ASSERT_TRUE(rotated);
  EXPECT_FALSE(*rotated) << "a revoked token does not rotate";
}

TEST_P(OidcTokenStores, SessionRevocationSparesOfflineFamilies) {
  ASSERT_TRUE(refresh_->insert(refresh_token("online", "famOn", {"openid", "profile"})));
  ASSERT_TRUE(refresh_->insert(refresh_token("offline", "famOff", {"openid", "offline_access"})));
  auto families = refresh_->revoke_for_session("sid-1", clock_.now());
  ASSERT_TRUE(families);
  EXPECT_EQ(*families, std::vector<std::string>{"famOn"});
  EXPECT_TRUE(refresh_->find("online")->revoked_at);
  EXPECT_FALSE(refresh_->find("offline")->revoked_at);
}

TEST_P(OidcTokenStores, AccountAndCodeRevocationReachTheirFamilies) {
  ASSERT_TRUE(refresh_->insert(refresh_token("x1", "famX")));
  auto by_code = refresh_->revoke_by_code("code-1", clock_.now());
  ASSERT_TRUE(by_code);
  EXPECT_EQ(*by_code, std::vector<std::string>{"famX"});
  ASSERT_TRUE(refresh_->insert(refresh_token("y1", "famY")));
  auto other = refresh_->revoke_for(member_, "other", clock_.now());
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->empty());
  auto mine = refresh_->revoke_for(member_, "app", clock_.now());
  ASSERT_TRUE(mine);
  EXPECT_EQ(*mine, std::vector<std::string>{"famY"});
}

TEST_P(OidcTokenStores, AccessTokensAreFoundAndRevokedEveryWay) {
  auto t = access_token("k1", "famA");
  ASSERT_TRUE(access_->insert(t));
  auto cc = access_token("k2");
  cc.account_id.reset();
  cc.auth_time.reset();
  cc.jwt = true;
  cc.code_hash.clear();
  ASSERT_TRUE(access_->insert(cc));
  auto found = access_->find("k1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->account_id, member_);
  EXPECT_EQ(found->scopes, t.scopes);
  EXPECT_EQ(found->audience, "app");
  EXPECT_FALSE(found->jwt);
  auto machine = access_->find("k2");
  ASSERT_TRUE(machine);
  EXPECT_FALSE(machine->account_id);
  EXPECT_TRUE(machine->jwt);
  EXPECT_EQ(*access_->revoke_families({"famA"}, clock_.now()), 1);
  EXPECT_TRUE(access_->find("k1")->revoked_at);
  EXPECT_FALSE(access_->find("k2")->revoked_at);
  EXPECT_EQ(*access_->revoke("k2", clock_.now()), 1);
  EXPECT_EQ(*access_->revoke("k2", clock_.now()), 0) << "revoked once";
  ASSERT_TRUE(access_->insert(access_token("k3")));
  EXPECT_EQ(*access_->revoke_by_code("code-1", clock_.now()), 1);
  ASSERT_TRUE(access_->insert(access_token("k4")));
  EXPECT_EQ(*access_->revoke_for(member_, "app", clock_.now()), 1);
}

TEST_P(OidcTokenStores, AnAssertionIdWorksOncePerClient) {
  EXPECT_TRUE(*replay_->remember("app", "jti-1", clock_.now() + 5min));
  EXPECT_FALSE(*replay_->remember("app", "jti-1", clock_.now() + 5min));
  EXPECT_TRUE(*replay_->remember("other", "jti-1", clock_.now() + 5min)) << "per client";
  clock_.advance(6min);
  EXPECT_EQ(*replay_->purge_expired(clock_.now()), 2);
}

TEST_P(OidcTokenStores, PurgeDeletesWhatCanNoLongerBeUsed) {
  ASSERT_TRUE(codes_->insert("c-old", grant(), clock_.now(), clock_.now() + 60s));
  ASSERT_TRUE(refresh_->insert(refresh_token("live", "famLive")));
  auto dead = refresh_token("dead", "famDead");
  dead.expires_at = clock_.now() + 1min;
  ASSERT_TRUE(refresh_->insert(dead));
  ASSERT_TRUE(access_->insert(access_token("a-old")));
  clock_.advance(15min);
  EXPECT_EQ(*codes_->purge_expired(clock_.now()), 1);
  EXPECT_EQ(*refresh_->purge_expired(clock_.now()), 1);
  EXPECT_TRUE(refresh_->find("live"));
  EXPECT_EQ(*access_->purge_expired(clock_.now()), 1);
}

TEST_P(OidcTokenStores, RemovingTheClientRemovesWhatItWasIssued) {
  ASSERT_TRUE(codes_->insert("c1", grant(), clock_.now(), clock_.now() + 60s));
  ASSERT_TRUE(refresh_->insert(refresh_token("r1", "fam")));
  ASSERT_TRUE(access_->insert(access_token("k1")));
  ASSERT_TRUE(replay_->remember("app", "j", clock_.now() + 1min));
  {
    auto lease = db_->acquire();
    ASSERT_TRUE(lease.run("DELETE FROM oidc_clients WHERE client_id = ?", "app"));
  }
  EXPECT_EQ(codes_->redeem("c1", clock_.now()).error().code, ErrorCode::NotFound);
  EXPECT_FALSE(refresh_->find("r1"));
  EXPECT_FALSE(access_->find("k1"));
  add_client("app");  // registered again: its old assertion ids are gone
  auto again = replay_->remember("app", "j", clock_.now() + 1min);
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_TRUE(*again);
}

INSTANTIATE_TEST_SUITE_P(Backends, OidcTokenStores, ::testing::ValuesIn(sql_backends()), sql_backend_name);

}  // namespace
}  // namespace portier::contract
