#include "storage/stores/sql_logout_store.h"

#include <sodium.h>

#include <algorithm>
#include <tuple>

#include "common/encoding.h"

namespace portier::storage {

namespace {

using oidc::BackchannelDelivery;
using oidc::DeliveryStatus;

constexpr const char* kColumns =
    "id, client_id, account_id, sid, status, attempts, created_at, next_attempt_at, sent_at, last_error, claim_token";

DeliveryStatus parse_status(const std::string& text) {
  if (text == "queued") return DeliveryStatus::Queued;
  if (text == "deferred") return DeliveryStatus::Deferred;
  if (text == "sent") return DeliveryStatus::Sent;
  return DeliveryStatus::Failed;  // the CHECK constraint admits nothing else
}

BackchannelDelivery read_row(const Statement& s) {
  BackchannelDelivery d;
  d.id = s.int64(0);
  d.client_id = s.text(1);
  d.account_id = s.int64(2);
  d.sid = s.text(3);
  d.status = parse_status(s.text(4));
  d.attempts = static_cast<int>(s.int64(5));
  d.created_at = s.time(6);
  d.next_attempt_at = s.time(7);
  d.sent_at = s.optional_time(8);
  d.last_error = s.text(9);
  d.claim_token = s.text(10);
  return d;
}

std::string fresh_claim_token() {
  // 128 random bits: which claim a later status update belongs to.
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

}  // namespace

Result<int> queue_logouts_for_account(Lease& lease, AccountId account, std::string_view keep_hash, TimePoint now) {
  auto queued = lease.run(
      "INSERT INTO oidc_backchannel_queue (client_id, account_id, sid, status, attempts, created_at,"
      " next_attempt_at, last_error, claim_token)"
      " SELECT sc.client_id, sc.account_id, sc.sid, 'queued', 0, ?3, ?3, '', ''"
      " FROM oidc_session_clients sc JOIN oidc_clients c ON c.client_id = sc.client_id"
      " JOIN sessions s ON s.sid = sc.sid"
      " WHERE s.account_id = ?1 AND s.id_hash <> ?2 AND c.backchannel_logout_uri <> ''",
      account, keep_hash, now);
  if (!queued) return queued;
  auto forgotten = lease.run(
      "DELETE FROM oidc_session_clients WHERE sid IN (SELECT sid FROM sessions WHERE account_id = ?1 AND id_hash <> ?2)",
      account, keep_hash);
  if (!forgotten) return tl::unexpected(forgotten.error());
  return queued;
}

Result<void> SqlLogoutStore::record_use(std::string_view sid, AccountId account, std::string_view client_id,
                                        TimePoint at) {
  auto lease = db_->acquire();
  // One statement: two codes issued at once to the same session and client
  // (two tabs) meet in the upsert, not in a read-then-write race.
  auto done = lease.run(
      "INSERT INTO oidc_session_clients (sid, account_id, client_id, first_used_at, last_used_at)"
      " VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (sid, client_id) DO UPDATE SET last_used_at ="
      " CASE WHEN oidc_session_clients.last_used_at < excluded.last_used_at THEN excluded.last_used_at"
      " ELSE oidc_session_clients.last_used_at END",
      sid, account, client_id, at);
  if (!done) return tl::unexpected(done.error());
  return {};
}

Result<std::vector<std::string>> SqlLogoutStore::clients_of(std::string_view sid) {
  auto lease = db_->acquire();
  return read_rows(lease.query("SELECT client_id FROM oidc_session_clients WHERE sid = ? ORDER BY client_id", sid),
                   [](const Statement& s) { return s.text(0); });
}

Result<int> SqlLogoutStore::queue_logouts(std::string_view sid, TimePoint now) {
  auto lease = db_->acquire();
  // Queue and forget together: a crash between the two would either lose
  // the logouts or queue them twice at the next ending of the same sid.
  return transaction(lease, [&]() -> Result<int> {
    auto queued = lease.run(
        "INSERT INTO oidc_backchannel_queue (client_id, account_id, sid, status, attempts, created_at,"
        " next_attempt_at, last_error, claim_token)"
        " SELECT sc.client_id, sc.account_id, sc.sid, 'queued', 0, ?2, ?2, '', ''"
        " FROM oidc_session_clients sc JOIN oidc_clients c ON c.client_id = sc.client_id"
        " WHERE sc.sid = ?1 AND c.backchannel_logout_uri <> ''",
        sid, now);
    if (!queued) return queued;
    auto forgotten = lease.run("DELETE FROM oidc_session_clients WHERE sid = ?", sid);
    if (!forgotten) return tl::unexpected(forgotten.error());
    return queued;
  });
}

Result<std::vector<BackchannelDelivery>> SqlLogoutStore::claim_due(TimePoint now, TimePoint lease_until, int limit) {
  auto lease = db_->acquire();
  auto token = fresh_claim_token();
  // The outbox's claim (sql_outbox_store.cpp explains it line by line):
  // `picked` is a CTE so it runs once; PostgreSQL locks the rows it picks
  // and skips those another node holds; the outer WHERE is checked again on
  // the locked row; SQLite's single writer serialises the whole UPDATE.
  auto claimed = transaction(lease, [&]() -> Result<std::vector<BackchannelDelivery>> {
    return read_rows(
        lease.query(std::string("WITH picked AS (SELECT id FROM oidc_backchannel_queue WHERE status IN"
                                " ('queued', 'deferred') AND next_attempt_at <= ?2 ORDER BY next_attempt_at, id"
                                " LIMIT ?3") +
                        lease.dialect().skip_locked() +
                        ") UPDATE oidc_backchannel_queue SET next_attempt_at = ?1, attempts = attempts + 1,"
                        " claim_token = ?4 WHERE id IN (SELECT id FROM picked) AND status IN ('queued', 'deferred')"
                        " AND next_attempt_at <= ?2 RETURNING " +
                        kColumns,
                    lease_until, now, limit, token),
        read_row);
  });
  if (!claimed) return claimed;
  std::sort(claimed->begin(), claimed->end(),
            [](auto& a, auto& b) { return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id); });
  return claimed;
}

Result<void> SqlLogoutStore::mark_sent(const BackchannelDelivery& claimed, TimePoint at) {
  auto lease = db_->acquire();
  return require_change(lease.run("UPDATE oidc_backchannel_queue SET status = 'sent', sent_at = ?, last_error = ''"
                                  " WHERE id = ? AND claim_token = ? AND status IN ('queued', 'deferred')",
                                  at, claimed.id, claimed.claim_token),
                        "pending back-channel logout under this claim");
}

Result<void> SqlLogoutStore::mark_deferred(const BackchannelDelivery& claimed, TimePoint retry_at,
                                           std::string_view error) {
  auto lease = db_->acquire();
  return require_change(lease.run("UPDATE oidc_backchannel_queue SET status = 'deferred', next_attempt_at = ?,"
                                  " last_error = ? WHERE id = ? AND claim_token = ? AND status IN ('queued', 'deferred')",
                                  retry_at, error, claimed.id, claimed.claim_token),
                        "pending back-channel logout under this claim");
}

Result<void> SqlLogoutStore::mark_failed(const BackchannelDelivery& claimed, std::string_view error) {
  auto lease = db_->acquire();
  return require_change(lease.run("UPDATE oidc_backchannel_queue SET status = 'failed', last_error = ?"
                                  " WHERE id = ? AND claim_token = ? AND status IN ('queued', 'deferred')",
                                  error, claimed.id, claimed.claim_token),
                        "pending back-channel logout under this claim");
}

Result<std::vector<BackchannelDelivery>> SqlLogoutStore::list(int limit) {
  auto lease = db_->acquire();
  return read_rows(lease.query(std::string("SELECT ") + kColumns +
                                   " FROM oidc_backchannel_queue ORDER BY created_at DESC, id DESC LIMIT ?",
                               limit),
                   read_row);
}

Result<int> SqlLogoutStore::purge(TimePoint before) {
  auto lease = db_->acquire();
  auto done = lease.run(
      "DELETE FROM oidc_backchannel_queue WHERE status IN ('sent', 'failed') AND created_at < ?", before);
  if (!done) return done;
  // Sessions that expired (or were purged) are never "ended": their
  // application lists would stay forever without this.
  auto orphans = lease.run("DELETE FROM oidc_session_clients WHERE sid NOT IN (SELECT sid FROM sessions)");
  if (!orphans) return orphans;
  return *done + *orphans;
}

}  // namespace portier::storage
