#include "storage/stores/sql_totp_store.h"

namespace portier::storage {

namespace {

Result<void> done(Result<int> r) {
  if (!r) return tl::unexpected(r.error());
  return {};
}

Result<void> write_recovery_codes(Lease& lease, AccountId account, const std::vector<std::string>& hashes) {
  if (auto r = lease.run("DELETE FROM totp_recovery_codes WHERE account_id = ?", account); !r)
    return tl::unexpected(r.error());
  for (const auto& hash : hashes)
    if (auto r = lease.run("INSERT INTO totp_recovery_codes (hash, account_id) VALUES (?, ?)", hash, account); !r)
      return tl::unexpected(r.error());
  return {};
}

}  // namespace

Result<void> SqlTotpStore::save_pending(AccountId account, std::string_view pending_box, TimePoint at) {
  auto lease = db_->acquire();
  return done(lease.run(
      "INSERT INTO totp_credentials (account_id, pending_box, pending_at) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (account_id) DO UPDATE SET pending_box = ?2, pending_at = ?3",
      account, pending_box, at));
}

Result<void> SqlTotpStore::clear_pending(AccountId account) {
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<void> {
    // A row that only held the pending key goes; an enrolled app stays.
    if (auto r = lease.run("DELETE FROM totp_credentials WHERE account_id = ? AND secret_box IS NULL", account); !r)
      return tl::unexpected(r.error());
    return done(lease.run("UPDATE totp_credentials SET pending_box = NULL, pending_at = NULL WHERE account_id = ?",
                          account));
  });
}

Result<TotpCredential> SqlTotpStore::find(AccountId account) {
  auto lease = db_->acquire();
  auto stmt = lease.query(
      "SELECT secret_box, pending_box, confirmed_at, last_step, pending_at FROM totp_credentials WHERE account_id = ?", account);
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return fail(ErrorCode::NotFound, "no authenticator app");
  TotpCredential c;
  c.account = account;
  c.secret_box = stmt->optional_text(0);
  c.pending_box = stmt->optional_text(1);
  c.confirmed_at = stmt->optional_time(2);
  c.last_step = stmt->optional_int64(3);
  c.pending_at = stmt->optional_time(4);
  return c;
}

Result<void> SqlTotpStore::confirm(AccountId account, std::string_view pending_box, std::int64_t step,
                                      TimePoint now, const std::vector<std::string>& recovery_hashes) {
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<void> {
    // Compare-and-set on the pending secret: a code typed for an enrolment
    // that a newer one (another tab) replaced must not install either.
    auto moved = lease.run(
        "UPDATE totp_credentials SET secret_box = pending_box, pending_box = NULL, pending_at = NULL, confirmed_at = ?,"
        " last_step = ?"
        " WHERE account_id = ? AND pending_box = ?",
        now, step, account, pending_box);
    if (!moved) return tl::unexpected(moved.error());
    if (*moved == 0) return fail(ErrorCode::FlowStateInvalid, "enrolment replaced or already confirmed");
    return write_recovery_codes(lease, account, recovery_hashes);
  });
}

Result<bool> SqlTotpStore::claim_step(AccountId account, std::int64_t step) {
  auto lease = db_->acquire();
  // One statement decides: of two requests carrying the same code, exactly
  // one sees a changed row. `last_step < ?` also refuses an older step once a
  // newer one was used (a code seen over a shoulder a minute ago).
  auto changed = lease.run(
      "UPDATE totp_credentials SET last_step = ?1 WHERE account_id = ?2 AND secret_box IS NOT NULL"
      " AND (last_step IS NULL OR last_step < ?1)",
      step, account);
  if (!changed) return tl::unexpected(changed.error());
  return *changed == 1;
}

Result<void> SqlTotpStore::replace_recovery_codes(AccountId account, const std::vector<std::string>& hashes) {
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<void> { return write_recovery_codes(lease, account, hashes); });
}

Result<bool> SqlTotpStore::use_recovery_code(AccountId account, std::string_view hash, TimePoint now) {
  auto lease = db_->acquire();
  // Kratos's `used_at IS NULL` rule: two submissions of one code spend it once.
  auto spent = lease.run(
      "UPDATE totp_recovery_codes SET used_at = ? WHERE hash = ? AND account_id = ? AND used_at IS NULL", now, hash,
      account);
  if (!spent) return tl::unexpected(spent.error());
  return *spent == 1;
}

Result<int> SqlTotpStore::count_recovery_codes(AccountId account) {
  auto lease = db_->acquire();
  auto stmt = lease.query("SELECT COUNT(*) FROM totp_recovery_codes WHERE account_id = ? AND used_at IS NULL", account);
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return static_cast<int>(stmt->int64(0));
}

Result<void> SqlTotpStore::remove(AccountId account) {
  auto lease = db_->acquire();
  return transaction(lease, [&]() -> Result<void> {
    if (auto r = lease.run("DELETE FROM totp_recovery_codes WHERE account_id = ?", account); !r)
      return tl::unexpected(r.error());
    return done(lease.run("DELETE FROM totp_credentials WHERE account_id = ?", account));
  });
}

}  // namespace portier::storage
