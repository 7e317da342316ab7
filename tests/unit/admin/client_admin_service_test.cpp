#include "admin/client_admin_service.h"

#include <gtest/gtest.h>

#include "oidc/client_secret.h"
#include "support/sqlite_fixture.h"
#include "storage/stores/sql_client_store.h"

namespace portier {
namespace {

using oidc::Client;
using oidc::ClientAuthMethod;

class ClientAdminServiceTest : public ::testing::Test {
protected:
  Client draft() {
    Client c;
    c.name = "Agenda";
    c.redirect_uris = {"https://agenda.example.org/cb"};
    return c;
  }

  ClientSaved saved(Result<ClientOutcome> r) {
    EXPECT_TRUE(r) << (r ? "" : r.error().detail);
    auto* s = r ? std::get_if<ClientSaved>(&*r) : nullptr;
    EXPECT_TRUE(s) << (r && !s ? oidc::describe(std::get<ClientRejected>(*r).problems) : "");
    return s ? *s : ClientSaved{};
  }

  // (event, detail) of every audit event, oldest first.
  std::vector<std::pair<std::string, std::string>> audited() {
    auto lease = stores_.db->acquire();
    return storage::sql::read_rows(lease.query("SELECT event, detail FROM audit_events ORDER BY id"),
                                   [](const storage::sql::Statement& s) { return std::pair{s.text(0), s.text(1)}; })
        .value();
  }

  testing_support::SqliteStores stores_;
  storage::SqlClientStore clients_{stores_.db};
  AuditLog audit_{*stores_.audit, stores_.clock};
  SecretHasher secrets_{std::string(32, 'k')};
  SodiumRandom random_;
  ClientAdminService service_{clients_, secrets_, audit_, random_, stores_.clock};
  ClientInfo cli_{"cli", "test"};
};

TEST_F(ClientAdminServiceTest, AddMakesAnIdAndASecretStoredOnlyHashed) {
  auto s = saved(service_.add(draft(), std::nullopt, cli_));
  EXPECT_GE(s.client.client_id.size(), 22u);
  EXPECT_GE(s.secret.size(), 43u);
  auto stored = clients_.find(s.client.client_id).value();
  EXPECT_NE(stored.secret_hash, s.secret);
  EXPECT_EQ(stored.secret_hash.find(s.secret), std::string::npos);
  EXPECT_TRUE(oidc::client_secret_matches(secrets_, stored, s.secret));
  EXPECT_EQ(stored.created_at, stores_.clock.now());
  auto events = audited();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].first, "oidc.client_added");
  EXPECT_NE(events[0].second.find(s.client.client_id), std::string::npos);
  EXPECT_EQ(events[0].second.find(s.secret), std::string::npos);
}

TEST_F(ClientAdminServiceTest, PublicAndKeyClientsGetNoSecret) {
  auto pub = draft();
  pub.is_public = true;
  pub.auth_method = ClientAuthMethod::None;
  auto s = saved(service_.add(pub, std::nullopt, cli_));
  EXPECT_TRUE(s.secret.empty());
  EXPECT_TRUE(clients_.find(s.client.client_id)->secret_hash.empty());
  auto rotated = service_.rotate_secret(s.client.client_id, std::nullopt, cli_);
  ASSERT_FALSE(rotated);
  EXPECT_EQ(rotated.error().code, ErrorCode::InvalidInput);
}

TEST_F(ClientAdminServiceTest, InvalidRegistrationsAreRejectedWithEveryProblemAndNothingStored) {
  auto c = draft();
  c.name = "";
  c.redirect_uris = {"http://agenda.example.org/cb"};
  auto r = service_.add(c, std::nullopt, cli_);
  ASSERT_TRUE(r);
  auto* rejected = std::get_if<ClientRejected>(&*r);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->problems.size(), 2u);
  EXPECT_TRUE(clients_.list()->empty());
  EXPECT_TRUE(audited().empty());
}

TEST_F(ClientAdminServiceTest, RotateReplacesTheSecret) {
  auto s = saved(service_.add(draft(), std::nullopt, cli_));
  stores_.clock.advance(Seconds(60));
  auto r = service_.rotate_secret(s.client.client_id, std::nullopt, cli_);
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_NE(r->secret, s.secret);
  auto stored = clients_.find(s.client.client_id).value();
  EXPECT_TRUE(oidc::client_secret_matches(secrets_, stored, r->secret));
  EXPECT_FALSE(oidc::client_secret_matches(secrets_, stored, s.secret));
  EXPECT_EQ(stored.secret_rotated_at, stores_.clock.now());
  EXPECT_EQ(audited().back().first, "oidc.client_secret_rotated");
}

TEST_F(ClientAdminServiceTest, UpdateKeepsTheSecretOrMakesOrClearsItWhenTheMethodChanges) {
  auto s = saved(service_.add(draft(), std::nullopt, cli_));
  auto changed = s.client;
  changed.name = "Agenda 2";
  changed.trusted = true;
  auto u = saved(service_.update(changed, std::nullopt, cli_));
  EXPECT_TRUE(u.secret.empty());
  auto stored = clients_.find(s.client.client_id).value();
  EXPECT_EQ(stored.name, "Agenda 2");
  EXPECT_TRUE(oidc::client_secret_matches(secrets_, stored, s.secret));
  EXPECT_EQ(audited().back().first, "oidc.client_updated");
  EXPECT_NE(audited().back().second.find(" changed=name,trusted"), std::string::npos) << audited().back().second;
  saved(service_.update(changed, std::nullopt, cli_));
  EXPECT_NE(audited().back().second.find(" changed=-"), std::string::npos) << audited().back().second;

  changed.is_public = true;
  changed.auth_method = ClientAuthMethod::None;
  saved(service_.update(changed, std::nullopt, cli_));
  EXPECT_TRUE(clients_.find(s.client.client_id)->secret_hash.empty());

  changed.is_public = false;
  changed.auth_method = ClientAuthMethod::ClientSecretPost;
  auto back = saved(service_.update(changed, std::nullopt, cli_));
  EXPECT_FALSE(back.secret.empty());
  EXPECT_TRUE(oidc::client_secret_matches(secrets_, clients_.find(s.client.client_id).value(), back.secret));
  EXPECT_EQ(audited().back().first, "oidc.client_updated");
}

TEST_F(ClientAdminServiceTest, RemoveAndUnknownClients) {
  auto s = saved(service_.add(draft(), std::nullopt, cli_));
  ASSERT_TRUE(service_.remove(s.client.client_id, std::nullopt, cli_));
  EXPECT_EQ(audited().back().first, "oidc.client_removed");
  EXPECT_EQ(service_.remove(s.client.client_id, std::nullopt, cli_).error().code, ErrorCode::NotFound);
  auto ghost = draft();
  ghost.client_id = "ghost";
  EXPECT_EQ(service_.update(ghost, std::nullopt, cli_).error().code, ErrorCode::NotFound);
  EXPECT_EQ(service_.rotate_secret("ghost", std::nullopt, cli_).error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace portier
