#pragma once
#include <optional>
#include <vector>

#include "common/result.h"
#include "session/session.h"

namespace portier {

class SessionStore {
public:
  virtual ~SessionStore() = default;
  /// Inserts a session; Conflict if the hash already exists.
  virtual Result<void> create(const Session& session) = 0;
  /// NotFound when absent or revoked.
  virtual Result<Session> find(std::string_view id_hash) = 0;
  virtual Result<void> touch(std::string_view id_hash, TimePoint at) = 0;
  /// Gives the session a new id (its token changes, nothing else does but
  /// last_seen_at): one statement, so no moment has both ids or neither.
  /// NotFound when `old_hash` is absent or revoked.
  virtual Result<void> rekey(std::string_view old_hash, std::string_view new_hash, TimePoint at) = 0;
  /// Records that the session's owner typed their password again at `at`
  /// (the support console's "recently confirmed"). NotFound when absent.
  virtual Result<void> mark_confirmed(std::string_view id_hash, TimePoint at) = 0;
  /// Replaces what the session's sign-in proved (Session::auth_methods).
  /// NotFound when absent or revoked.
  virtual Result<void> set_auth_methods(std::string_view id_hash, std::string_view auth_methods) = 0;
  /// Ends one session; ending an absent one is not an error (nullopt).
  /// Returns the session ended, as the row said when it was deleted.
  virtual Result<std::optional<EndedSession>> revoke(std::string_view id_hash) = 0;
  /// Ends the session named `sid` (Session::sid); nullopt when there is none
  /// (an application's logout request naming it in a signed ID token).
  virtual Result<std::optional<EndedSession>> revoke_by_sid(std::string_view sid) = 0;
  /// Ends every session of the account except `keep_hash` (may be empty);
  /// returns the sessions ended.
  virtual Result<std::vector<EndedSession>> revoke_all(AccountId account, std::string_view keep_hash) = 0;
  /// Ends every session of every account (the operator's "sign everybody
  /// out", after a suspected leak); returns the sessions ended.
  virtual Result<std::vector<EndedSession>> revoke_every() = 0;
  /// Live sessions of the account, newest first.
  virtual Result<std::vector<Session>> list_for_account(AccountId account) = 0;
  /// Deletes sessions past their absolute expiry or idle since `idle_before`.
  virtual Result<int> purge_expired(TimePoint now, TimePoint idle_before) = 0;
};

}  // namespace portier
