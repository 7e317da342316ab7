#pragma once
#include <memory>

#include "common/random.h"
#include "common/secret_hasher.h"
#include "flow/federation/federated_session_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// FederatedSessionStore, written once for SQLite and PostgreSQL
// (federated_sessions). The ID token is sealed here, on its way in, and
// opened on its way out (common/secret_box.h, purpose "federated-id-token"):
// a copy of the database names no one. take() is one DELETE … RETURNING, so
// of two logouts of one session racing, exactly one gets the token.
class SqlFederatedSessionStore final : public FederatedSessionStore {
public:
  SqlFederatedSessionStore(std::shared_ptr<sql::Database> db, const SecretHasher& secrets, Random& random)
      : db_(std::move(db)), secrets_(secrets), random_(random) {}

  Result<void> remember(const FederatedSession& session) override;
  Result<FederatedSession> take(std::string_view sid) override;
  Result<std::size_t> purge_expired(TimePoint now) override;

private:
  std::shared_ptr<sql::Database> db_;
  const SecretHasher& secrets_;
  Random& random_;
};

}  // namespace portier::storage
