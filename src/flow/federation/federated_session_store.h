#pragma once
// The provider's ID token for a portier session opened through a federated
// sign-in, kept so that signing out of portier also ends the session at the
// provider (RP-initiated logout with id_token_hint). Keyed by the session's
// public name (Session::sid). The token names the person (PSC: RPPS, names):
// stored sealed under the server key (common/secret_box.h).
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"

namespace portier {

struct FederatedSession {
  std::string sid;       // Session::sid
  std::string provider;  // configured provider id
  std::string id_token;  // as the provider issued it (the store seals it at rest)
  TimePoint expires_at{};  // the portier session's absolute expiry: purged after
};

class FederatedSessionStore {
public:
  virtual ~FederatedSessionStore() = default;
  // Replaces any record for the same sid.
  virtual Result<void> remember(const FederatedSession& session) = 0;
  // Reads and deletes in one step (a logout ends it once); NotFound when the
  // session did not come through a provider, or was taken already.
  virtual Result<FederatedSession> take(std::string_view sid) = 0;
  // Deletes records past their expiry; how many.
  virtual Result<std::size_t> purge_expired(TimePoint now) = 0;
};

}  // namespace portier
