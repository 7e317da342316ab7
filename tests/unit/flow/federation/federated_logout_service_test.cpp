// Logout at the provider: a session opened through a provider is sent to its
// end_session_endpoint with the kept ID token once (the record is taken),
// the state comes back to the browser it left from, once, in time; without
// an end_session_endpoint, or with the provider down, the member is signed
// out of portier anyway and told the provider's session may be open.
#include "flow/federation/federated_logout_service.h"

#include <gtest/gtest.h>

#include <boost/url/parse.hpp>
#include <map>

#include "support/service_parts.h"
#include "unit/federation/fake_provider.h"

namespace portier {
namespace {

using namespace std::chrono_literals;
using testing_support::FakeProvider;

// The lead's interface, in memory: remember replaces, take reads and deletes.
class MemoryFederatedSessions final : public FederatedSessionStore {
public:
  Result<void> remember(const FederatedSession& s) override {
    rows[s.sid] = s;
    return {};
  }
  Result<FederatedSession> take(std::string_view sid) override {
    auto it = rows.find(std::string(sid));
    if (it == rows.end()) return fail(ErrorCode::NotFound);
    auto s = it->second;
    rows.erase(it);
    return s;
  }
  Result<std::size_t> purge_expired(TimePoint) override { return 0; }
  std::map<std::string, FederatedSession> rows;
};

FederationProviderConfig psc() {
  FederationProviderConfig p;
  p.id = "psc";
  p.preset = "psc";
  p.discovery_url = testing_support::kDiscovery;
  p.issuer = testing_support::kIssuer;
  p.client_id = "reseau";
  p.client_secret = "s3cret";
  p.scopes = "openid scope_all";
  p.acr_values = "eidas1";
  p.subject_claim = "SubjectNameID";
  return p;
}

std::map<std::string, std::string> query_of(const std::string& url) {
  std::map<std::string, std::string> q;
  for (auto param : boost::urls::parse_uri(url)->params()) q.emplace(param.key, param.value);
  return q;
}

class FederatedLogoutServiceTest : public ::testing::Test, protected testing_support::ServiceParts {
protected:
  MemoryFederatedSessions kept;
  FakeProvider op{s.clock};
  federation::RelyingParty rp{psc(), op, s.clock, random};
  FederatedLogoutService service{kept,   *s.flows, audit, secrets, random, s.clock,
                                 [this](std::string_view id) { return id == "psc" ? &rp : nullptr; },
                                 "https://portail.example"};
  Account member = add_member("jdupont");

  Session session_through(const std::string& provider) {
    auto started = sessions.start(member.id, {}, "psc");
    EXPECT_TRUE(started);
    kept.remember({started->session.sid, provider, "eyJ.the-id-token.sig", s.clock.now() + 12h});
    return started->session;
  }
  std::vector<std::string> events() {
    auto lease = s.db->acquire();
    auto rows = storage::sql::read_rows(
        lease.query("SELECT detail FROM audit_events WHERE event = 'federation.logout' ORDER BY id"),
        [](const storage::sql::Statement& r) { return r.text(0); });
    return rows ? *rows : std::vector<std::string>{};
  }
};

TEST_F(FederatedLogoutServiceTest, FederatedSessionGoesToEndSessionWithItsIdTokenOnce) {
  auto session = session_through("psc");
  auto start = service.begin(session, {});
  ASSERT_TRUE(std::holds_alternative<FederatedLogoutRedirect>(start));
  const auto& go = std::get<FederatedLogoutRedirect>(start);
  EXPECT_EQ(go.provider, "psc");
  EXPECT_EQ(go.url.rfind(std::string(testing_support::kIssuer) + "/protocol/openid-connect/logout?", 0), 0u);
  auto q = query_of(go.url);
  EXPECT_EQ(q["id_token_hint"], "eyJ.the-id-token.sig");
  EXPECT_EQ(q["client_id"], "reseau");
  EXPECT_EQ(q["post_logout_redirect_uri"], "https://portail.example/federation/psc/deconnexion");
  EXPECT_EQ(q["state"], go.state);
  EXPECT_EQ(go.state.size(), 43u);  // 256 bits
  EXPECT_EQ(go.expires_at, s.clock.now() + FederatedLogoutService::kReturnLifetime);
  // The record is gone: a second sign-out (another tab) is a plain one.
  EXPECT_TRUE(std::holds_alternative<NotFederated>(service.begin(session, {})));
  EXPECT_EQ(events(), std::vector<std::string>{"psc: sent to the provider"});
}

TEST_F(FederatedLogoutServiceTest, StateComesBackOnceToTheBrowserItLeftFromInTime) {
  auto go = std::get<FederatedLogoutRedirect>(service.begin(session_through("psc"), {}));
  EXPECT_FALSE(service.finish("psc", go.state, "", {}));              // no cookie: another browser
  EXPECT_FALSE(service.finish("psc", go.state, go.state + "x", {}));  // another browser's cookie
  EXPECT_FALSE(service.finish("autre", go.state, go.state, {}));      // another provider's return address
  EXPECT_FALSE(service.finish("psc", "", "", {}));
  EXPECT_TRUE(service.finish("psc", go.state, go.state, {}));
  EXPECT_FALSE(service.finish("psc", go.state, go.state, {}));  // single use
  EXPECT_EQ(events().back(), "psc: ended at the provider");

  auto late = std::get<FederatedLogoutRedirect>(service.begin(session_through("psc"), {}));
  s.clock.advance(FederatedLogoutService::kReturnLifetime + 1s);
  EXPECT_FALSE(service.finish("psc", late.state, late.state, {}));
}

TEST_F(FederatedLogoutServiceTest, PasswordSessionIsNotFederated) {
  auto started = sessions.start(member.id, {}, "pwd");
  ASSERT_TRUE(started);
  EXPECT_TRUE(std::holds_alternative<NotFederated>(service.begin(started->session, {})));
  EXPECT_TRUE(op.calls.empty());
  EXPECT_TRUE(events().empty());
}

TEST_F(FederatedLogoutServiceTest, NoEndSessionEndpointOrProviderDownSaysTheProviderMayBeOpen) {
  op.discovery.erase("end_session_endpoint");
  auto start = service.begin(session_through("psc"), {});
  ASSERT_TRUE(std::holds_alternative<FederatedLogoutUnavailable>(start));
  EXPECT_EQ(std::get<FederatedLogoutUnavailable>(start).provider, "psc");

  op.unreachable = true;
  federation::RelyingParty down{psc(), op, s.clock, random};
  FederatedLogoutService down_service{kept, *s.flows, audit, secrets, random, s.clock,
                                      [&](std::string_view) { return &down; }, "https://portail.example"};
  EXPECT_TRUE(std::holds_alternative<FederatedLogoutUnavailable>(down_service.begin(session_through("psc"), {})));
  // A provider removed from the configuration since the sign-in.
  EXPECT_TRUE(std::holds_alternative<FederatedLogoutUnavailable>(service.begin(session_through("ancien"), {})));
  auto e = events();
  ASSERT_EQ(e.size(), 3u);
  EXPECT_NE(e[0].find("psc: not at the provider: "), std::string::npos);
  EXPECT_NE(e[1].find("psc: not at the provider: "), std::string::npos);
  EXPECT_EQ(e[2], "ancien: provider no longer configured");
}

}  // namespace
}  // namespace portier
