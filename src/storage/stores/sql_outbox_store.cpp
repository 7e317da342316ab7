#include "storage/stores/sql_outbox_store.h"

#include <algorithm>

#include <sodium.h>

#include "common/encoding.h"

namespace portier::storage {

namespace {

constexpr const char* kColumns =
    "id, channel, recipient, account_id, kind, lang, subject, body_text, body_html, status, attempts,"
    " created_at, next_attempt_at, sent_at, last_error, reply_to, claim_token";

OutboundMessage read_row(const Statement& s) {
  OutboundMessage m;
  m.id = s.int64(0);
  m.channel = parse_message_channel(s.text(1)).value_or(MessageChannel::Email);
  m.recipient = s.text(2);
  m.account = s.optional_int64(3);
  m.kind = s.text(4);
  m.lang = s.text(5);
  m.subject = s.text(6);
  m.body_text = s.text(7);
  m.body_html = s.text(8);
  // The CHECK constraint keeps unknown statuses out of the table.
  m.status = parse_delivery_status(s.text(9)).value_or(DeliveryStatus::Failed);
  m.attempts = static_cast<int>(s.int64(10));
  m.created_at = s.time(11);
  m.next_attempt_at = s.time(12);
  m.sent_at = s.optional_time(13);
  m.last_error = s.text(14);
  m.reply_to = s.text(15);
  m.claim_token = s.text(16);
  return m;
}

Result<std::vector<OutboundMessage>> read_all(Result<Statement> stmt) {
  return read_rows(std::move(stmt), read_row);
}

}  // namespace

Result<std::int64_t> insert_outbox_message(Lease& lease, const OutboundMessage& m) {
  if (m.recipient.empty()) return fail(ErrorCode::InvalidInput, "outbox message without a recipient");
  if (m.kind.empty()) return fail(ErrorCode::InvalidInput, "outbox message without a kind");
  // The system clock is only a fallback for callers without a clock;
  // services pass their injected clock's time.
  auto created = to_unix(m.created_at) != 0 ? m.created_at : std::chrono::system_clock::now();
  auto due = to_unix(m.next_attempt_at) != 0 ? m.next_attempt_at : created;
  auto stmt = lease.query(
      "INSERT INTO outbox (channel, recipient, account_id, kind, lang, subject, body_text, body_html, status,"
      " attempts, created_at, next_attempt_at, last_error, reply_to)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'queued', 0, ?9, ?10, '', ?11) RETURNING id",
      to_string(m.channel), m.recipient, m.account, m.kind, m.lang, m.subject, m.body_text, m.body_html, created,
      due, m.reply_to);
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return fail(ErrorCode::Internal, "outbox insert returned no id");
  auto id = stmt->int64(0);
  // Finish the statement so the insert is complete before the caller commits.
  if (auto done = stmt->step(); !done) return tl::unexpected(done.error());
  return id;
}

SqlOutboxStore::SqlOutboxStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

Result<std::int64_t> SqlOutboxStore::enqueue(const OutboundMessage& message) {
  auto lease = db_->acquire();
  return insert_outbox_message(lease, message);
}

Result<std::vector<OutboundMessage>> SqlOutboxStore::claim_due(TimePoint now, TimePoint lease_until, int limit) {
  auto lease = db_->acquire();
  // 128 random bits: which claim a later status update belongs to.
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  auto token = hex_encode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
  // Selecting and leasing in one UPDATE. SQLite: under BEGIN IMMEDIATE, the
  // second worker waits for the write lock and then sees next_attempt_at
  // already moved to the first one's lease. PostgreSQL: `picked` (a CTE,
  // so run once: a subquery in the UPDATE's WHERE may be run again and pick
  // more than its LIMIT) locks the rows it picks and skips those another
  // node holds (SKIP LOCKED); the outer WHERE is checked again on the row as it is once
  // locked, so a row another node leased and committed meanwhile is left.
  // attempts counts tries started, so a worker that dies mid-send still
  // uses up one try of the message.
  auto claimed = transaction(lease, [&]() -> Result<std::vector<OutboundMessage>> {
    return read_all(lease.query(
        std::string("WITH picked AS (SELECT id FROM outbox WHERE status IN ('queued', 'deferred')"
                    " AND next_attempt_at <= ?2 ORDER BY next_attempt_at, id LIMIT ?3") +
            lease.dialect().skip_locked() +
            ") UPDATE outbox SET next_attempt_at = ?1, attempts = attempts + 1, claim_token = ?4"
            " WHERE id IN (SELECT id FROM picked) AND status IN ('queued', 'deferred') AND next_attempt_at <= ?2"
            " RETURNING " + kColumns,
        lease_until, now, limit, token));
  });
  if (!claimed) return claimed;
  // RETURNING gives no order; the oldest message goes first.
  std::sort(claimed->begin(), claimed->end(), [](auto& a, auto& b) {
    return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
  });
  return claimed;
}

Result<void> SqlOutboxStore::mark_sent(const OutboundMessage& claimed, TimePoint at) {
  auto lease = db_->acquire();
  // The bodies may hold a one-time code or a link: nothing to keep once sent.
  return require_change(lease.run("UPDATE outbox SET status = 'sent', sent_at = ?, body_text = '', body_html = '',"
                                  " last_error = '' WHERE id = ? AND claim_token = ? AND status IN ('queued', 'deferred')",
                                  at, claimed.id, claimed.claim_token),
                        "outbox message under this claim");
}

Result<void> SqlOutboxStore::mark_deferred(const OutboundMessage& claimed, TimePoint retry_at, std::string_view error) {
  auto lease = db_->acquire();
  // Only a pending message is deferred: a late report must not revive one
  // already sent or given up.
  return require_change(lease.run("UPDATE outbox SET status = 'deferred', next_attempt_at = ?, last_error = ?"
                                  " WHERE id = ? AND claim_token = ? AND status IN ('queued', 'deferred')",
                                  retry_at, error, claimed.id, claimed.claim_token),
                        "pending outbox message under this claim");
}

Result<void> SqlOutboxStore::mark_failed(const OutboundMessage& claimed, std::string_view error) {
  auto lease = db_->acquire();
  return require_change(lease.run("UPDATE outbox SET status = 'failed', last_error = ?, body_text = '', body_html = ''"
                                  " WHERE id = ? AND claim_token = ? AND status IN ('queued', 'deferred')",
                                  error, claimed.id, claimed.claim_token),
                        "pending outbox message under this claim");
}

Result<int> SqlOutboxStore::retry_deferred(TimePoint now) {
  auto lease = db_->acquire();
  return lease.run("UPDATE outbox SET next_attempt_at = ? WHERE status = 'deferred' AND next_attempt_at > ?", now, now);
}

Result<std::vector<OutboundMessage>> SqlOutboxStore::list(int limit, int offset) {
  auto lease = db_->acquire();
  return read_all(lease.query(std::string("SELECT ") + kColumns +
                                  " FROM outbox ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                              limit, offset));
}

Result<std::vector<OutboundMessage>> SqlOutboxStore::list_for_account(AccountId account, int limit) {
  auto lease = db_->acquire();
  return read_all(lease.query(std::string("SELECT ") + kColumns +
                                  " FROM outbox WHERE account_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                              account, limit));
}

}  // namespace portier::storage
