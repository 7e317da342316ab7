// Back-channel logout end to end inside the process: a session that signed
// into an application ends, LogoutService queues, the worker signs and
// POSTs a logout token through a fake sender, retries, gives up.
#include "oidc/backchannel_worker.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <deque>

#include "oidc/jose/jws.h"
#include "oidc/logout_service.h"
#include "oidc/logout_token.h"
#include "oidc/subject.h"
#include "session/session_service.h"
#include "storage/stores/sql_client_store.h"
#include "storage/stores/sql_logout_store.h"
#include "storage/stores/sql_signing_key_store.h"
#include "support/sqlite_fixture.h"

namespace portier::oidc {
namespace {

using namespace std::chrono_literals;

// Answers from a script; records what it was asked to POST.
class ScriptedSender final : public BackchannelSender {
public:
  std::deque<Result<int>> answers;
  std::vector<std::pair<std::string, std::string>> posted;
  Result<int> post_form(const std::string& uri, const std::string& body) override {
    posted.emplace_back(uri, body);
    if (answers.empty()) return 200;
    auto a = answers.front();
    answers.pop_front();
    return a;
  }
};

constexpr const char* kIssuer = "https://portail.example.org";

class BackchannelWorkerTest : public ::testing::Test {
protected:
  testing_support::SqliteStores s;
  SecretHasher secrets{std::string(32, 'k')};
  SodiumRandom random;
  storage::SqlSigningKeyStore key_store{s.db};
  // ES256 only: made in microseconds (RSA keys take a second).
  KeyRing ring{key_store, secrets, random, s.clock, RotationPolicy{}, {jose::JwsAlg::ES256}};
  storage::SqlClientStore clients{s.db};
  storage::SqlLogoutStore logout_store{s.db};
  LogoutService logout{logout_store, s.clock};
  SessionService sessions{*s.sessions, secrets, random, s.clock, SessionPolicy{30min, 12h}};
  AuditLog audit{*s.audit, s.clock};
  ScriptedSender sender;
  BackchannelWorker worker{logout_store, clients, ring, sender, audit, secrets, random, s.clock,
                           BackchannelSettings{kIssuer, {10s, 20s}}};
  AccountId account = 0;

  void SetUp() override {
    ASSERT_TRUE(ring.maintain());
    Account a;
    a.identifier = "marie";
    a.email = "marie@example.org";
    a.display_name = "Marie";
    account = s.accounts->create(a)->id;
    Client c;
    c.client_id = "agenda";
    c.name = "Agenda";
    c.redirect_uris = {"https://agenda.example.org/cb"};
    c.backchannel_logout_uri = "https://agenda.example.org/backchannel";
    c.id_token_alg = "ES256";
    c.created_at = c.updated_at = s.clock.now();
    ASSERT_TRUE(clients.create(c));
    sessions.set_end_listener(&logout);
  }

  // A session that signed into the agenda, then ended by the member.
  std::string signed_in_then_out() {
    auto issued = sessions.start(account, {});
    EXPECT_TRUE(logout.record_use(issued->session.sid, account, "agenda"));
    EXPECT_TRUE(sessions.end(issued->token));
    return issued->session.sid;
  }

  std::vector<std::string> audited() {
    std::vector<std::string> out;
    auto recent = audit.recent_for_account(account, 50);  // named: a range-for over *temporary would dangle
    for (auto& e : *recent) out.push_back(e.event);
    return out;
  }
};

TEST_F(BackchannelWorkerTest, AnEndedSessionsApplicationGetsASignedLogoutToken) {
  auto sid = signed_in_then_out();
  EXPECT_EQ(worker.drain_once(), 1);
  ASSERT_EQ(sender.posted.size(), 1u);
  auto& [uri, body] = sender.posted[0];
  EXPECT_EQ(uri, "https://agenda.example.org/backchannel");
  ASSERT_EQ(body.rfind("logout_token=", 0), 0u);
  // A compact JWS is base64url and dots: unreserved, so sent as is.
  std::string token = body.substr(13);
  ASSERT_EQ(token.find('%'), std::string::npos);

  auto header = jose::peek_header(token);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->at("typ").as_string(), "logout+jwt");
  EXPECT_EQ(header->at("alg").as_string(), "ES256");
  auto key = ring.by_kid(std::string(header->at("kid").as_string()));
  ASSERT_TRUE(key);
  auto verified = jose::verify_compact(token, *key);
  ASSERT_TRUE(verified) << "signed by the published key";
  auto claims = boost::json::parse(verified->payload).as_object();
  EXPECT_EQ(claims.at("iss").as_string(), kIssuer);
  EXPECT_EQ(claims.at("aud").as_string(), "agenda");
  EXPECT_EQ(claims.at("sub").as_string(), subject_of(secrets, account)) << "the sub of the ID tokens";
  EXPECT_EQ(claims.at("sid").as_string(), sid);
  EXPECT_FALSE(claims.contains("nonce"));
  EXPECT_EQ(claims.at("iat").as_int64(), to_unix(s.clock.now()));
  EXPECT_EQ(claims.at("exp").as_int64(), to_unix(s.clock.now()) + 120);
  EXPECT_FALSE(claims.at("jti").as_string().empty());
  auto& events = claims.at("events").as_object();
  ASSERT_TRUE(events.contains(kBackchannelLogoutEvent));
  EXPECT_TRUE(events.at(kBackchannelLogoutEvent).as_object().empty());

  EXPECT_EQ(logout_store.list(10)->at(0).status, DeliveryStatus::Sent);
  EXPECT_EQ(audited().front(), "oidc.backchannel_sent");
  EXPECT_EQ(worker.drain_once(), 0) << "delivered once";
}

TEST_F(BackchannelWorkerTest, FailuresAreRetriedAfterEachDelayUntilDelivered) {
  sender.answers = {Result<int>(503), Result<int>(fail(ErrorCode::Unavailable, "connection refused"))};
  signed_in_then_out();
  EXPECT_EQ(worker.drain_once(), 1);
  EXPECT_EQ(worker.drain_once(), 0) << "not again before the first delay";
  s.clock.advance(10s);
  EXPECT_EQ(worker.drain_once(), 1);
  s.clock.advance(19s);
  EXPECT_EQ(worker.drain_once(), 0) << "the second delay is longer";
  s.clock.advance(1s);
  EXPECT_EQ(worker.drain_once(), 1);
  ASSERT_EQ(sender.posted.size(), 3u);
  EXPECT_NE(sender.posted[0].second, sender.posted[2].second) << "each attempt signs a fresh token";
  auto d = logout_store.list(10)->at(0);
  EXPECT_EQ(d.status, DeliveryStatus::Sent);
  EXPECT_EQ(d.attempts, 3);
}

TEST_F(BackchannelWorkerTest, GivesUpOnceTheDelaysAreSpent) {
  sender.answers = {Result<int>(500), Result<int>(302), Result<int>(404)};
  signed_in_then_out();
  worker.drain_once();
  s.clock.advance(10s);
  worker.drain_once();
  s.clock.advance(20s);
  worker.drain_once();
  s.clock.advance(1h);
  EXPECT_EQ(worker.drain_once(), 0);
  EXPECT_EQ(sender.posted.size(), 3u) << "retry_delays {10s, 20s}: three attempts";
  auto d = logout_store.list(10)->at(0);
  EXPECT_EQ(d.status, DeliveryStatus::Failed);
  EXPECT_NE(d.last_error.find("HTTP status 404"), std::string::npos);
  EXPECT_EQ(audited().front(), "oidc.backchannel_failed");
}

TEST_F(BackchannelWorkerTest, AUriThatMayNeverBeCalledIsGivenUpAtOnce) {
  sender.answers = {Result<int>(fail(ErrorCode::InvalidInput, "http allowed on loopback only"))};
  signed_in_then_out();
  worker.drain_once();
  EXPECT_EQ(logout_store.list(10)->at(0).status, DeliveryStatus::Failed);
}

TEST_F(BackchannelWorkerTest, EndingAllOtherSessionsReachesEachOnesApplications) {
  auto keep = sessions.start(account, {});
  auto other1 = sessions.start(account, {});
  auto other2 = sessions.start(account, {});
  ASSERT_TRUE(logout.record_use(other1->session.sid, account, "agenda"));
  ASSERT_TRUE(logout.record_use(other2->session.sid, account, "agenda"));
  ASSERT_TRUE(logout.record_use(keep->session.sid, account, "agenda"));
  ASSERT_EQ(*sessions.end_all(account, keep->token), 2);
  EXPECT_EQ(worker.drain_once(), 2);
  EXPECT_EQ(sender.posted.size(), 2u);
  EXPECT_EQ(logout_store.clients_of(keep->session.sid)->size(), 1u) << "the kept session is still signed in";
}

TEST_F(BackchannelWorkerTest, AnApplicationWithoutABackchannelUriGetsNothing) {
  auto c = *clients.find("agenda");
  c.backchannel_logout_uri.clear();
  ASSERT_TRUE(clients.update(c));
  signed_in_then_out();
  EXPECT_EQ(worker.drain_once(), 0);
  EXPECT_TRUE(sender.posted.empty());
}

}  // namespace
}  // namespace portier::oidc
