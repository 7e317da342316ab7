#include "contract/backends.h"

#include <stdexcept>

#include "common/random.h"
#include "common/secret_hasher.h"
#include "contract/sql_backends.h"
#include "storage/open_database.h"
#include "storage/stores/sql_account_store.h"
#include "storage/stores/sql_assistance_store.h"
#include "storage/stores/sql_client_store.h"
#include "storage/stores/sql_consent_store.h"
#include "storage/stores/sql_linked_card_store.h"
#include "storage/stores/sql_federated_session_store.h"
#include "storage/stores/sql_federated_identity_store.h"
#include "storage/stores/sql_audit_store.h"
#include "storage/stores/sql_email_change_store.h"
#include "storage/stores/sql_flow_store.h"
#include "storage/stores/sql_lockout_store.h"
#include "storage/stores/sql_outbox_store.h"
#include "storage/stores/sql_rate_limit_store.h"
#include "storage/stores/sql_recovery_store.h"
#include "storage/stores/sql_robot_challenge_store.h"
#include "storage/stores/sql_session_store.h"
#include "storage/stores/sql_signing_key_store.h"
#include "storage/stores/sql_totp_store.h"

namespace portier::contract {

namespace {

// The same stores on whichever database `open` gives: they are written once.
// Four connections, so that the concurrency cases really run side by side.
Stores make_stores(const std::function<std::shared_ptr<storage::sql::Database>(int)>& open, const Clock& clock) {
  auto db = open(4);
  if (auto applied = storage::migrate_database(*db); !applied)
    throw std::runtime_error("migrate: " + applied.error().detail);
  Stores s;
  s.keep_alive = db;
  s.accounts = std::make_unique<storage::SqlAccountStore>(db, clock);
  s.sessions = std::make_unique<storage::SqlSessionStore>(db, clock);
  s.flows = std::make_unique<storage::SqlFlowStore>(db);
  s.audit = std::make_unique<storage::SqlAuditStore>(db);
  s.robot_challenges = std::make_unique<storage::SqlRobotChallengeStore>(db);
  s.outbox = std::make_unique<storage::SqlOutboxStore>(db);
  s.rate_limits = std::make_unique<storage::SqlRateLimitStore>(db);
  s.recovery = std::make_unique<storage::SqlRecoveryStore>(db);
  s.lockouts = std::make_unique<storage::SqlLockoutStore>(db);
  s.totp = std::make_unique<storage::SqlTotpStore>(db);
  s.assistance = std::make_unique<storage::SqlAssistanceStore>(db);
  s.email_change = std::make_unique<storage::SqlEmailChangeStore>(db);
  s.signing_keys = std::make_unique<storage::SqlSigningKeyStore>(db);
  s.clients = std::make_unique<storage::SqlClientStore>(db);
  s.consents = std::make_unique<storage::SqlConsentStore>(db);
  s.linked_cards = std::make_unique<storage::SqlLinkedCardStore>(db);
  // Stores that seal secrets share one test server key and the real CSPRNG
  // (nonces only: nothing a test compares).
  static const SecretHasher secrets(std::string(32, 'k'));
  static SodiumRandom random;
  s.federated_sessions = std::make_unique<storage::SqlFederatedSessionStore>(db, secrets, random);
  s.federated_identities = std::make_unique<storage::SqlFederatedIdentityStore>(db);
  return s;
}

}  // namespace

std::vector<Backend> backends() {
  std::vector<Backend> all;
  for (auto& backend : sql_backends())
    all.push_back({backend.name, [open = backend.open](const Clock& clock) { return make_stores(open, clock); }});
  return all;
}

}  // namespace portier::contract
