#pragma once
// Told about sessions the moment SessionService ends them, whichever path
// ended them (sign-out, Mon espace, the support console, a password reset,
// a lockout, the command line, an application's logout request): the OpenID
// Connect provider queues back-channel logouts from here
// (oidc/logout_service.h). Not told about sessions that expire.
#include <vector>

#include "session/session.h"

namespace portier {

class SessionEndListener {
public:
  virtual ~SessionEndListener() = default;
  // Called after the sessions' rows are gone, on the thread that ended them.
  // Must not fail the ending: a listener records its own failures.
  virtual void sessions_ended(const std::vector<EndedSession>& ended) = 0;
};

}  // namespace portier
