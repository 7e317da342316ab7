#include "storage/stores/sql_activation_store.h"

#include "storage/stores/sql_outbox_store.h"

namespace portier::storage {

Result<std::int64_t> SqlActivationStore::issue(const TokenIssue& issue, TimePoint now) {
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<std::int64_t> {
    // A newer invitation makes every older link and code useless: only the
    // last message in the member's mailbox works.
    for (const auto& token : issue.tokens) {
      auto r = lease.run(
          "UPDATE one_time_tokens SET used_at = ? WHERE account_id = ? AND purpose = ? AND used_at IS NULL", now,
          issue.account, token.purpose);
      if (!r) return tl::unexpected(r.error());
    }
    for (const auto& token : issue.tokens) {
      auto r = lease.run(
          "INSERT INTO one_time_tokens (hash, purpose, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
          token.hash, token.purpose, issue.account, token.created_at, token.expires_at);
      if (!r) return tl::unexpected(r.error());
    }
    return insert_outbox_message(lease, issue.message);
  });
}

Result<void> SqlActivationStore::complete_activation(std::string_view token_hash, AccountId account,
                                                        std::string_view password_hash, TimePoint now) {
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<void> {
    // Spend first, with the conditions in the UPDATE itself: a link clicked
    // twice, or a code and its link submitted together, activate once.
    auto spent = lease.run(
        "UPDATE one_time_tokens SET used_at = ?1 WHERE hash = ?2 AND account_id = ?3 AND used_at IS NULL"
        " AND expires_at > ?1 AND purpose IN ('invitation_link', 'invitation_code')",
        now, token_hash, account);
    if (!spent) return tl::unexpected(spent.error());
    if (*spent == 0) return fail(ErrorCode::FlowStateInvalid, "invitation already used, revoked or expired");
    // Only a pending account: one disabled by support since the invitation
    // must not be re-enabled by it.
    auto changed = lease.run(
        "UPDATE accounts SET password_hash = ?, password_is_temporary = 0, password_expires_at = NULL,"
        " status = 'active', updated_at = ? WHERE id = ? AND status = 'pending'",
        password_hash, now, account);
    if (!changed) return tl::unexpected(changed.error());
    if (*changed == 0) return fail(ErrorCode::FlowStateInvalid, "account is no longer pending");
    auto revoked = lease.run(
        "UPDATE one_time_tokens SET used_at = ? WHERE account_id = ? AND used_at IS NULL"
        " AND purpose IN ('invitation_link', 'invitation_code')",
        now, account);
    if (!revoked) return tl::unexpected(revoked.error());
    return {};
  });
}

}  // namespace portier::storage
