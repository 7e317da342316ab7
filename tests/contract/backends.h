#pragma once
// Every contract suite runs once per storage backend (Kratos's
// TestFlowPersister pattern): "Sqlite" in memory always, "Postgres" when
// PORTIER_TEST_PG_DSN names a server (a fresh schema for each test).
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "account/account_store.h"
#include "assistance/assistance_store.h"
#include "audit/audit_store.h"
#include "common/clock.h"
#include "credential/totp_store.h"
#include "flow/email_change/email_change_store.h"
#include "flow/card/linked_card_store.h"
#include "flow/federation/federated_session_store.h"
#include "flow/federation/federated_identity_store.h"
#include "flow/flow_store.h"
#include "flow/recovery/recovery_store.h"
#include "notify/outbox_store.h"
#include "oidc/client_store.h"
#include "oidc/consent_store.h"
#include "oidc/signing_key_store.h"
#include "robot/robot_check.h"
#include "session/session_store.h"
#include "throttle/lockout_store.h"
#include "throttle/rate_limit_store.h"

namespace portier::contract {

// Fresh stores over an empty, migrated database; `keep_alive` owns whatever
// the stores share (a connection pool).
struct Stores {
  std::shared_ptr<void> keep_alive;
  std::unique_ptr<AccountStore> accounts;
  std::unique_ptr<SessionStore> sessions;
  std::unique_ptr<FlowStore> flows;
  std::unique_ptr<AuditStore> audit;
  std::unique_ptr<RobotChallengeStore> robot_challenges;
  std::unique_ptr<OutboxStore> outbox;
  std::unique_ptr<RateLimitStore> rate_limits;
  std::unique_ptr<RecoveryStore> recovery;
  std::unique_ptr<LockoutStore> lockouts;
  std::unique_ptr<TotpStore> totp;
  std::unique_ptr<AssistanceStore> assistance;
  std::unique_ptr<EmailChangeStore> email_change;
  std::unique_ptr<oidc::SigningKeyStore> signing_keys;
  std::unique_ptr<oidc::ClientStore> clients;
  std::unique_ptr<oidc::ConsentStore> consents;
  std::unique_ptr<LinkedCardStore> linked_cards;
  std::unique_ptr<FederatedSessionStore> federated_sessions;  // seals under a fixed test server key
  std::unique_ptr<FederatedIdentityStore> federated_identities;
};

struct Backend {
  std::string name;
  std::function<Stores(const Clock&)> make;
};

// The backends available in this run, "Sqlite" first.
std::vector<Backend> backends();

// gtest names a failing case's parameter with this rather than its bytes.
inline void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) { return info.param.name; }

class StoreContract : public ::testing::TestWithParam<Backend> {
protected:
  void SetUp() override { stores_ = GetParam().make(clock_); }

  AccountStore& accounts() { return *stores_.accounts; }
  SessionStore& sessions() { return *stores_.sessions; }
  FlowStore& flows() { return *stores_.flows; }
  AuditStore& audit() { return *stores_.audit; }
  RobotChallengeStore& robot_challenges() { return *stores_.robot_challenges; }
  OutboxStore& outbox() { return *stores_.outbox; }
  RateLimitStore& rate_limits() { return *stores_.rate_limits; }
  RecoveryStore& recovery() { return *stores_.recovery; }
  LockoutStore& lockouts() { return *stores_.lockouts; }
  EmailChangeStore& email_change() { return *stores_.email_change; }

  // An account that satisfies every constraint; tests change what they test.
  static Account sample_account(std::string identifier, std::string email = "member@example.org") {
    Account a;
    a.identifier = std::move(identifier);
    a.email = std::move(email);
    a.display_name = "Dr Marie Curie";
    return a;
  }

  Account create_account(std::string identifier, std::string email = "member@example.org") {
    auto created = accounts().create(sample_account(std::move(identifier), std::move(email)));
    EXPECT_TRUE(created) << (created ? "" : created.error().detail);
    return created ? *created : Account{};
  }

  FakeClock clock_;
  Stores stores_;
};

}  // namespace portier::contract

// One line per suite: runs the suite against every available backend.
#define PORTIER_CONTRACT_SUITE(Suite) \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::ValuesIn(::portier::contract::backends()), \
                           ::portier::contract::backend_name)
