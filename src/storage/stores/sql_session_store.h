#pragma once
#include <memory>

#include "common/clock.h"
#include "session/session_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// SessionStore, written once for SQLite and PostgreSQL. Sees only keyed hashes
// of session tokens, never the tokens; revocation deletes the row so a revoked
// session cannot revive.
class SqlSessionStore final : public SessionStore {
public:
  /// `clock` decides which sessions list_for_account still calls live.
  SqlSessionStore(std::shared_ptr<sql::Database> db, const Clock& clock);

  Result<void> create(const Session& session) override;
  Result<Session> find(std::string_view id_hash) override;
  Result<void> touch(std::string_view id_hash, TimePoint at) override;
  Result<void> rekey(std::string_view old_hash, std::string_view new_hash, TimePoint at) override;
  Result<void> mark_confirmed(std::string_view id_hash, TimePoint at) override;
  Result<void> set_auth_methods(std::string_view id_hash, std::string_view auth_methods) override;
  Result<std::optional<EndedSession>> revoke(std::string_view id_hash) override;
  Result<std::optional<EndedSession>> revoke_by_sid(std::string_view sid) override;
  Result<std::vector<EndedSession>> revoke_all(AccountId account, std::string_view keep_hash) override;
  Result<std::vector<EndedSession>> revoke_every() override;
  Result<std::vector<Session>> list_for_account(AccountId account) override;
  Result<int> purge_expired(TimePoint now, TimePoint idle_before) override;

private:
  std::shared_ptr<sql::Database> db_;
  const Clock& clock_;
};

}  // namespace portier::storage
