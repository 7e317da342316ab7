#include "storage/stores/sql_flow_store.h"

namespace portier::storage {

SqlFlowStore::SqlFlowStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

Result<void> insert_flow(Lease& lease, const FlowEnvelope& f) {
  auto inserted = lease.run(
      "INSERT INTO flows (id_hash, kind, state, account_id, created_at, expires_at, attempts, data)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      f.id_hash, to_string(f.kind), f.state, f.account, f.created_at, f.expires_at, f.attempts, f.data);
  if (!inserted) return tl::unexpected(inserted.error());
  return {};
}

Result<void> transition_flow(Lease& lease, const FlowEnvelope& f, std::string_view expected_state) {
  // The state test is inside the UPDATE, not read before it: of two racing
  // submissions the database lets exactly one match, the other changes 0 rows.
  // attempts never goes down: a transition written from a copy loaded before
  // parallel wrong codes were counted (count_attempt) must not give them back.
  auto changed = lease.run(
      "UPDATE flows SET state = ?1, account_id = ?2, expires_at = ?3,"
      " attempts = CASE WHEN attempts > ?4 THEN attempts ELSE ?4 END, data = ?5"
      " WHERE id_hash = ?6 AND kind = ?7 AND state = ?8",
      f.state, f.account, f.expires_at, f.attempts, f.data, f.id_hash, to_string(f.kind), expected_state);
  if (!changed) return tl::unexpected(changed.error());
  if (*changed == 0) return fail(ErrorCode::FlowStateInvalid, "flow is not in state " + std::string(expected_state));
  return {};
}

Result<void> SqlFlowStore::create(const FlowEnvelope& f) {
  auto lease = db_->acquire();
  return insert_flow(lease, f);
}

Result<FlowEnvelope> SqlFlowStore::find(FlowKind kind, std::string_view id_hash) {
  auto lease = db_->acquire();
  // Filtering on kind means a sign-in token can never open a setup flow.
  auto stmt = lease.query(
      "SELECT state, account_id, created_at, expires_at, attempts, data FROM flows"
      " WHERE id_hash = ? AND kind = ?",
      id_hash, to_string(kind));
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return fail(ErrorCode::NotFound, "flow not found");
  FlowEnvelope f;
  f.id_hash = std::string(id_hash);
  f.kind = kind;
  f.state = stmt->text(0);
  f.account = stmt->optional_int64(1);
  f.created_at = stmt->time(2);
  f.expires_at = stmt->time(3);
  f.attempts = static_cast<int>(stmt->int64(4));
  f.data = stmt->text(5);
  return f;
}

Result<void> SqlFlowStore::transition(const FlowEnvelope& f, std::string_view expected_state) {
  auto lease = db_->acquire();
  return transition_flow(lease, f, expected_state);
}

Result<int> SqlFlowStore::count_attempt(FlowKind kind, std::string_view id_hash, int max) {
  auto lease = db_->acquire();
  auto stmt = lease.query("UPDATE flows SET attempts = attempts + 1 WHERE id_hash = ? AND kind = ? AND attempts < ?"
                          " RETURNING attempts",
                          id_hash, to_string(kind), max);
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return fail(ErrorCode::FlowStateInvalid, "no attempt left");
  int n = static_cast<int>(stmt->int64(0));
  if (auto done = stmt->run(); !done) return tl::unexpected(done.error());
  return n;
}

Result<int> SqlFlowStore::delete_kind(FlowKind kind) {
  auto lease = db_->acquire();
  return lease.run("DELETE FROM flows WHERE kind = ?", to_string(kind));
}

Result<int> SqlFlowStore::purge_expired(TimePoint now) {
  auto lease = db_->acquire();
  // Matches FlowEnvelope::is_expired: expired once now reaches expires_at.
  return lease.run("DELETE FROM flows WHERE expires_at <= ?", now);
}

}  // namespace portier::storage
