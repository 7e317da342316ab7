#include "storage/stores/sql_email_change_store.h"

#include "storage/stores/sql_logout_store.h"

#include "storage/stores/sql_flow_store.h"
#include "storage/stores/sql_outbox_store.h"
#include "storage/stores/sql_recovery_store.h"

namespace portier::storage {

namespace {

Result<void> revoke_email_change_tokens(Lease& lease, AccountId account, TimePoint now) {
  auto r = lease.run(
      "UPDATE one_time_tokens SET used_at = ? WHERE account_id = ? AND used_at IS NULL"
      " AND purpose IN ('email_change_link', 'email_change_code', 'email_change_cancel')",
      now, account);
  if (!r) return tl::unexpected(r.error());
  return {};
}

}  // namespace

Result<void> SqlEmailChangeStore::start(const FlowEnvelope& flow, const std::vector<OneTimeToken>& tokens,
                                           const std::vector<OutboundMessage>& messages) {
  if (!flow.account) return fail(ErrorCode::InvalidInput, "an email change belongs to an account");
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<void> {
    auto dropped = lease.run("DELETE FROM flows WHERE id_hash = ? AND kind = ?", flow.id_hash, to_string(flow.kind));
    if (!dropped) return tl::unexpected(dropped.error());
    if (auto r = revoke_email_change_tokens(lease, *flow.account, flow.created_at); !r) return r;
    if (auto r = insert_flow(lease, flow); !r) return r;
    for (const auto& token : tokens) {
      auto r = lease.run(
          "INSERT INTO one_time_tokens (hash, purpose, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
          token.hash, token.purpose, token.account, token.created_at, token.expires_at);
      if (!r) return tl::unexpected(r.error());
    }
    for (const auto& m : messages)
      if (auto id = insert_outbox_message(lease, m); !id) return tl::unexpected(id.error());
    return {};
  });
}

Result<OneTimeToken> SqlEmailChangeStore::find_token(std::string_view hash) {
  auto lease = db_->acquire();
  return find_one_time_token(lease, hash);
}

Result<int> SqlEmailChangeStore::complete(const FlowEnvelope& flow, std::string_view pending_state,
                                             std::string_view token_hash, std::string_view new_email,
                                             std::string_view keep_session_hash, TimePoint now,
                                             const std::vector<OutboundMessage>& notices) {
  if (!flow.account) return fail(ErrorCode::InvalidInput, "an email change belongs to an account");
  AccountId account = *flow.account;
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<int> {
    if (auto r = spend_one_time_token(lease, token_hash, account, now); !r) return tl::unexpected(r.error());
    if (auto r = transition_flow(lease, flow, pending_state); !r) return tl::unexpected(r.error());
    auto changed = lease.run("UPDATE accounts SET email = ?, updated_at = ? WHERE id = ?", new_email, now, account);
    if (!changed) return tl::unexpected(changed.error());
    if (*changed == 0) return fail(ErrorCode::NotFound, "account not found");
    // A reset link or an invitation mailed to the old address must not
    // outlive the address: whoever still reads that mailbox loses the way in.
    auto revoked = lease.run(
        "UPDATE one_time_tokens SET used_at = ? WHERE account_id = ? AND used_at IS NULL"
        " AND purpose IN ('recovery_link', 'recovery_code', 'invitation_link', 'invitation_code',"
        " 'email_change_link', 'email_change_code', 'email_change_cancel')",
        now, account);
    if (!revoked) return tl::unexpected(revoked.error());
    // The other sessions end, and the applications they signed into hear of it.
    if (auto queued = queue_logouts_for_account(lease, account, keep_session_hash, now); !queued)
      return tl::unexpected(queued.error());
    auto ended = lease.run("DELETE FROM sessions WHERE account_id = ? AND id_hash <> ?", account, keep_session_hash);
    if (!ended) return tl::unexpected(ended.error());
    for (const auto& m : notices)
      if (auto id = insert_outbox_message(lease, m); !id) return tl::unexpected(id.error());
    return *ended;
  });
}

Result<void> SqlEmailChangeStore::cancel(const FlowEnvelope& flow, std::string_view pending_state,
                                            std::string_view token_hash, TimePoint now) {
  if (!flow.account) return fail(ErrorCode::InvalidInput, "an email change belongs to an account");
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<void> {
    if (!token_hash.empty())
      if (auto r = spend_one_time_token(lease, token_hash, *flow.account, now); !r) return r;
    if (auto r = transition_flow(lease, flow, pending_state); !r) return r;
    return revoke_email_change_tokens(lease, *flow.account, now);
  });
}

}  // namespace portier::storage
