#pragma once
// The provider's side of logout: remembers which applications each session
// signed into (record_use, called by the authorization endpoint each time
// it issues a code) and, when SessionService ends a session by any path,
// queues a back-channel logout for each of those applications that
// registered a backchannel_logout_uri (oidc/backchannel_worker.h delivers).
// Never fails a session's ending: a queueing failure is logged.
#include <functional>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "oidc/logout_store.h"
#include "session/session_end_listener.h"

namespace portier::oidc {

class LogoutService final : public SessionEndListener {
public:
  LogoutService(LogoutStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Session `sid` of `account` has just been issued a code for `client_id`.
  Result<void> record_use(std::string_view sid, AccountId account, std::string_view client_id);

  void sessions_ended(const std::vector<EndedSession>& ended) override;

  // Called after logouts were queued, so the worker delivers within
  // milliseconds; set once by app/ when the worker runs.
  void set_wake(std::function<void()> wake) { wake_ = std::move(wake); }

private:
  LogoutStore& store_;
  const Clock& clock_;
  std::function<void()> wake_;
};

}  // namespace portier::oidc
