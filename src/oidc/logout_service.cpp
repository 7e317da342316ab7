#include "oidc/logout_service.h"

#include <spdlog/spdlog.h>

namespace portier::oidc {

Result<void> LogoutService::record_use(std::string_view sid, AccountId account, std::string_view client_id) {
  if (sid.empty() || client_id.empty()) return fail(ErrorCode::InvalidInput, "record_use needs a sid and a client");
  return store_.record_use(sid, account, client_id, clock_.now());
}

void LogoutService::sessions_ended(const std::vector<EndedSession>& ended) {
  // Right after the session rows are deleted, not in their transaction: a
  // crash in between loses these logouts (the applications' sessions then
  // end at their own expiry). Documented in docs/oidc.md, "Logout".
  int queued = 0;
  for (auto& s : ended) {
    auto n = store_.queue_logouts(s.sid, clock_.now());
    if (!n) {
      spdlog::error("oidc: back-channel logouts of an ended session not queued: {}", n.error().detail);
      continue;
    }
    queued += *n;
  }
  if (queued > 0 && wake_) wake_();
}

}  // namespace portier::oidc
