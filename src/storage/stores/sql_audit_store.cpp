#include "storage/stores/sql_audit_store.h"

namespace portier::storage {

SqlAuditStore::SqlAuditStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

Result<void> insert_audit_event(Lease& lease, const AuditEvent& e) {
  auto inserted = lease.run(
      "INSERT INTO audit_events (at, event, actor_id, target_id, ip, user_agent, detail)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)",
      e.at, e.event, e.actor, e.target, e.ip, e.user_agent, e.detail);
  if (!inserted) return tl::unexpected(inserted.error());
  return {};
}

Result<void> SqlAuditStore::append(const AuditEvent& e) {
  return db_->write_batched([&](Lease& lease) { return insert_audit_event(lease, e); });
}

namespace {

AuditEvent read_event(const Statement& r) {
  AuditEvent e;
  e.id = r.int64(0);
  e.at = r.time(1);
  e.event = r.text(2);
  e.actor = r.optional_int64(3);
  e.target = r.optional_int64(4);
  e.ip = r.text(5);
  e.user_agent = r.text(6);
  e.detail = r.text(7);
  return e;
}

}  // namespace

Result<std::vector<AuditEvent>> SqlAuditStore::recent_for_account(AccountId account, int limit) {
  auto lease = db_->acquire();
  // id breaks ties between events of the same second, keeping insertion order.
  auto stmt = lease.query(
      "SELECT id, at, event, actor_id, target_id, ip, user_agent, detail FROM audit_events"
      " WHERE actor_id = ? OR target_id = ? ORDER BY at DESC, id DESC LIMIT ?",
      account, account, limit);
  return read_rows(std::move(stmt), read_event);
}

Result<std::optional<AuditEvent>> SqlAuditStore::first_for_account(AccountId account, std::string_view event) {
  auto lease = db_->acquire();
  // audit_events_target (target_id, at) narrows to the account's own events.
  auto rows = read_rows(lease.query("SELECT id, at, event, actor_id, target_id, ip, user_agent, detail FROM audit_events"
                                    " WHERE target_id = ? AND event = ? ORDER BY at, id LIMIT 1",
                                    account, event),
                        read_event);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<AuditEvent>{};
  return std::optional<AuditEvent>{std::move(rows->front())};
}

}  // namespace portier::storage
