#pragma once
// Issues, checks and ends server-side sessions. The browser gets a random
// 256-bit token; only its keyed hash is stored, so a copy of the database
// cannot be used to take over sessions.
#include <chrono>

#include "common/client_info.h"
#include "common/random.h"
#include "common/secret_hasher.h"
#include "session/session_end_listener.h"
#include "session/session_store.h"

namespace portier {

struct SessionPolicy {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{12 * 3600};
};

struct IssuedSession {
  std::string token;  // goes into the cookie, never stored
  Session session;
};

class SessionService {
public:
  SessionService(SessionStore& store, const SecretHasher& hasher, Random& random, const Clock& clock,
                 SessionPolicy policy);

  Result<IssuedSession> start(AccountId account, const ClientInfo& client, std::string auth_methods = "pwd");
  // The live session for this token; NotFound or Expired otherwise (an
  // expired session is deleted on sight).
  Result<Session> resume(std::string_view token);
  // A new token for the session of `token` after the member proved who they
  // are again (ASVS 7.2.4): the old token stops working at once; how and
  // when the session began, and its absolute expiry, stay as they were.
  Result<std::string> renew(std::string_view token);
  // The member just confirmed a new authenticator app with a code from it,
  // having typed the password again: this session now counts as signed in
  // with "pwd+app", as if the sign-in's second step had been the app (the
  // support console asks for that). Call before renew().
  Result<void> record_app_proof(std::string_view token);
  Result<void> end(std::string_view token);
  // Ends every session of the account but the one holding `keep_token` (may be empty).
  Result<int> end_all(AccountId account, std::string_view keep_token);
  Result<void> end_by_hash(AccountId account, std::string_view id_hash);
  // Ends the session named `sid` (an application's logout request, from a
  // browser that sent no cookie, with an ID token we signed naming it);
  // nullopt when there was none.
  Result<std::optional<EndedSession>> end_by_sid(std::string_view sid);
  // The session `id_hash` proved its owner's password again now.
  Result<void> mark_confirmed(std::string_view id_hash);
  Result<int> end_every_session();
  Result<std::vector<Session>> list(AccountId account);
  Result<int> purge();
  std::string hash_of(std::string_view token) const { return hasher_.digest("session", token); }
  const SessionPolicy& policy() const { return policy_; }
  // Told about every session this service ends (not those that expire).
  // Set once by app/ before any request; null: nobody listens.
  void set_end_listener(SessionEndListener* listener) { listener_ = listener; }

private:
  SessionStore& store_;
  const SecretHasher& hasher_;
  Random& random_;
  const Clock& clock_;
  SessionPolicy policy_;
  SessionEndListener* listener_ = nullptr;

  void ended(const std::vector<EndedSession>& sessions);
};

}  // namespace portier
