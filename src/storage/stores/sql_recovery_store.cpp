#include "storage/stores/sql_recovery_store.h"

#include "storage/stores/sql_logout_store.h"

#include "storage/stores/sql_flow_store.h"
#include "storage/stores/sql_lockout_store.h"
#include "storage/stores/sql_outbox_store.h"

namespace portier::storage {

namespace {

Result<void> revoke_purpose(Lease& lease, AccountId account, std::string_view purpose, TimePoint now) {
  auto r = lease.run("UPDATE one_time_tokens SET used_at = ? WHERE account_id = ? AND purpose = ? AND used_at IS NULL",
                     now, account, purpose);
  if (!r) return tl::unexpected(r.error());
  return {};
}

}  // namespace

Result<std::vector<std::int64_t>> SqlRecoveryStore::save(const FlowEnvelope& flow, std::string_view expected_state,
                                                            const std::vector<TokenIssue>& issues,
                                                            const std::vector<OutboundMessage>& notices) {
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<std::vector<std::int64_t>> {
    auto saved = expected_state.empty() ? insert_flow(lease, flow) : transition_flow(lease, flow, expected_state);
    if (!saved) return tl::unexpected(saved.error());
    std::vector<std::int64_t> ids;
    for (const auto& issue : issues) {
      // A newer request makes every older link and code of the same kind useless.
      for (const auto& token : issue.tokens)
        if (auto r = revoke_purpose(lease, issue.account, token.purpose, flow.created_at); !r)
          return tl::unexpected(r.error());
      for (const auto& token : issue.tokens) {
        auto r = lease.run(
            "INSERT INTO one_time_tokens (hash, purpose, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            token.hash, token.purpose, issue.account, token.created_at, token.expires_at);
        if (!r) return tl::unexpected(r.error());
      }
      auto id = insert_outbox_message(lease, issue.message);
      if (!id) return tl::unexpected(id.error());
      ids.push_back(*id);
    }
    for (const auto& notice : notices) {
      auto id = insert_outbox_message(lease, notice);
      if (!id) return tl::unexpected(id.error());
      ids.push_back(*id);
    }
    return ids;
  });
}

Result<OneTimeToken> find_one_time_token(Lease& lease, std::string_view hash) {
  auto stmt = lease.query(
      "SELECT purpose, account_id, created_at, expires_at, used_at FROM one_time_tokens WHERE hash = ?", hash);
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return fail(ErrorCode::NotFound, "token not found");
  OneTimeToken t;
  t.hash = std::string(hash);
  t.purpose = stmt->text(0);
  t.account = stmt->int64(1);
  t.created_at = stmt->time(2);
  t.expires_at = stmt->time(3);
  t.used_at = stmt->optional_time(4);
  return t;
}

Result<void> spend_one_time_token(Lease& lease, std::string_view hash, AccountId account, TimePoint now) {
  auto spent = lease.run(
      "UPDATE one_time_tokens SET used_at = ?1 WHERE hash = ?2 AND account_id = ?3 AND used_at IS NULL"
      " AND expires_at > ?1",
      now, hash, account);
  if (!spent) return tl::unexpected(spent.error());
  if (*spent == 0) return fail(ErrorCode::FlowStateInvalid, "token already used, revoked or expired");
  return {};
}

Result<OneTimeToken> SqlRecoveryStore::find_token(std::string_view hash) {
  auto lease = db_->acquire();
  return find_one_time_token(lease, hash);
}

Result<std::int64_t> SqlRecoveryStore::complete_reset(std::string_view token_hash, AccountId account,
                                                         std::string_view new_hash, TimePoint now,
                                                         const OutboundMessage& notice) {
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<std::int64_t> {
    // Spend first: of two submissions, one changes the password.
    if (auto spent = spend_one_time_token(lease, token_hash, account, now); !spent)
      return tl::unexpected(spent.error());
    auto changed = lease.run(
        "UPDATE accounts SET password_hash = ?, password_is_temporary = 0, password_expires_at = NULL,"
        " updated_at = ? WHERE id = ?",
        new_hash, now, account);
    if (!changed) return tl::unexpected(changed.error());
    if (*changed == 0) return fail(ErrorCode::NotFound, "account not found");
    auto revoked = lease.run(
        "UPDATE one_time_tokens SET used_at = ? WHERE account_id = ? AND used_at IS NULL"
        " AND purpose IN ('recovery_link', 'recovery_code')",
        now, account);
    if (!revoked) return tl::unexpected(revoked.error());
    // A reset lifts any suspension or lock of the account's sign-in.
    if (auto lifted = clear_lockouts(lease, account); !lifted) return tl::unexpected(lifted.error());
    // Whoever held a session may be the reason for the reset: end them all,
    // and the applications they signed into with them (back-channel logout).
    if (auto queued = queue_logouts_for_account(lease, account, "", now); !queued)
      return tl::unexpected(queued.error());
    auto ended = lease.run("DELETE FROM sessions WHERE account_id = ?", account);
    if (!ended) return tl::unexpected(ended.error());
    return insert_outbox_message(lease, notice);
  });
}

Result<int> SqlRecoveryStore::purge_expired(TimePoint now) {
  auto lease = db_->acquire();
  return lease.run("DELETE FROM one_time_tokens WHERE expires_at <= ?", now);
}

}  // namespace portier::storage
