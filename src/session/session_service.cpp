#include "session/session_service.h"

namespace portier {

namespace {
// Writing last_seen on every request would turn each page view into a disk
// sync; a minute of slack on a 30-minute idle timeout is harmless.
constexpr std::chrono::seconds kTouchEvery{60};
}  // namespace

SessionService::SessionService(SessionStore& store, const SecretHasher& hasher, Random& random, const Clock& clock,
                               SessionPolicy policy)
    : store_(store), hasher_(hasher), random_(random), clock_(clock), policy_(policy) {}

Result<IssuedSession> SessionService::start(AccountId account, const ClientInfo& client, std::string auth_methods) {
  IssuedSession out;
  out.token = random_.token(32);
  auto now = clock_.now();
  auto& s = out.session;
  s.id_hash = hash_of(out.token);
  s.sid = random_.token(16);
  s.account_id = account;
  s.created_at = now;
  s.last_seen_at = now;
  s.expires_at = now + policy_.absolute_timeout;
  s.ip = client.ip;
  s.user_agent = client.user_agent;
  s.auth_methods = std::move(auth_methods);
  if (auto r = store_.create(s); !r) return tl::unexpected(r.error());
  return out;
}

Result<Session> SessionService::resume(std::string_view token) {
  if (token.empty() || token.size() > 128) return fail(ErrorCode::NotFound);
  auto hash = hash_of(token);
  auto found = store_.find(hash);
  if (!found) return found;
  auto now = clock_.now();
  if (now >= found->expires_at || now >= found->last_seen_at + policy_.idle_timeout) {
    // Expiry, not an ending: the listener is not told (applications keep
    // their own session lifetimes).
    (void)store_.revoke(hash);
    return fail(ErrorCode::Expired, "session expired");
  }
  if (now - found->last_seen_at >= kTouchEvery) {
    (void)store_.touch(hash, now);
    found->last_seen_at = now;
  }
  return found;
}

Result<std::string> SessionService::renew(std::string_view token) {
  if (token.empty()) return fail(ErrorCode::NotFound);
  auto fresh = random_.token(32);
  if (auto r = store_.rekey(hash_of(token), hash_of(fresh), clock_.now()); !r) return tl::unexpected(r.error());
  return fresh;
}

Result<void> SessionService::record_app_proof(std::string_view token) {
  if (token.empty()) return fail(ErrorCode::NotFound);
  return store_.set_auth_methods(hash_of(token), "pwd+app");
}

void SessionService::ended(const std::vector<EndedSession>& sessions) {
  if (listener_ && !sessions.empty()) listener_->sessions_ended(sessions);
}

Result<void> SessionService::end(std::string_view token) {
  if (token.empty()) return {};
  auto gone = store_.revoke(hash_of(token));
  if (!gone) return tl::unexpected(gone.error());
  if (*gone) ended({**gone});
  return {};
}

Result<int> SessionService::end_all(AccountId account, std::string_view keep_token) {
  auto gone = store_.revoke_all(account, keep_token.empty() ? std::string() : hash_of(keep_token));
  if (!gone) return tl::unexpected(gone.error());
  ended(*gone);
  return static_cast<int>(gone->size());
}

Result<int> SessionService::end_every_session() {
  auto gone = store_.revoke_every();
  if (!gone) return tl::unexpected(gone.error());
  ended(*gone);
  return static_cast<int>(gone->size());
}

Result<void> SessionService::mark_confirmed(std::string_view id_hash) {
  return store_.mark_confirmed(id_hash, clock_.now());
}

Result<void> SessionService::end_by_hash(AccountId account, std::string_view id_hash) {
  auto found = store_.find(id_hash);
  if (!found || found->account_id != account) return fail(ErrorCode::NotFound);
  auto gone = store_.revoke(id_hash);
  if (!gone) return tl::unexpected(gone.error());
  if (*gone) ended({**gone});
  return {};
}

Result<std::optional<EndedSession>> SessionService::end_by_sid(std::string_view sid) {
  if (sid.empty()) return std::optional<EndedSession>();
  auto gone = store_.revoke_by_sid(sid);
  if (!gone) return tl::unexpected(gone.error());
  if (*gone) ended({**gone});
  return gone;
}

Result<std::vector<Session>> SessionService::list(AccountId account) { return store_.list_for_account(account); }

Result<int> SessionService::purge() {
  auto now = clock_.now();
  return store_.purge_expired(now, now - policy_.idle_timeout);
}

}  // namespace portier
