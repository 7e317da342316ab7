#include "storage/stores/sql_session_store.h"

namespace portier::storage {

namespace {

constexpr const char* kSelect =
    "SELECT id_hash, account_id, created_at, last_seen_at, expires_at, ip, user_agent, auth_methods, confirmed_at, sid"
    " FROM sessions ";

Session read_session(const Statement& row) {
  Session s;
  s.id_hash = row.text(0);
  s.account_id = row.int64(1);
  s.created_at = row.time(2);
  s.last_seen_at = row.time(3);
  s.expires_at = row.time(4);
  s.ip = row.text(5);
  s.user_agent = row.text(6);
  s.auth_methods = row.text(7);
  s.confirmed_at = row.optional_time(8);
  s.sid = row.text(9);
  return s;
}

// DELETE … RETURNING (SQLite 3.35+, PostgreSQL): the sessions ended and
// nothing else, read in the statement that ended them.
EndedSession read_ended(const Statement& row) { return EndedSession{row.text(0), row.int64(1)}; }

}  // namespace

SqlSessionStore::SqlSessionStore(std::shared_ptr<sql::Database> db, const Clock& clock)
    : db_(std::move(db)), clock_(clock) {}

Result<void> SqlSessionStore::create(const Session& s) {
  auto lease = db_->acquire();
  auto inserted = lease.run(
      "INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, expires_at, ip, user_agent, auth_methods,"
      " sid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      s.id_hash, s.account_id, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent, s.auth_methods,
      s.sid.empty() ? s.id_hash.substr(0, 32) : s.sid);
  if (!inserted) return tl::unexpected(inserted.error());
  return {};
}

Result<Session> SqlSessionStore::find(std::string_view id_hash) {
  auto lease = db_->acquire();
  auto stmt = lease.query(std::string(kSelect) + "WHERE id_hash = ?", id_hash);
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return fail(ErrorCode::NotFound, "session not found");
  return read_session(*stmt);
}

Result<void> SqlSessionStore::touch(std::string_view id_hash, TimePoint at) {
  auto lease = db_->acquire();
  // Parallel requests of one browser may touch out of order; last_seen_at
  // only moves forward so an old request cannot shorten the idle window.
  return require_change(
      lease.run("UPDATE sessions SET last_seen_at = CASE WHEN last_seen_at < ? THEN ? ELSE last_seen_at END"
                " WHERE id_hash = ?",
                at, at, id_hash),
      "session");
}

Result<void> SqlSessionStore::rekey(std::string_view old_hash, std::string_view new_hash, TimePoint at) {
  auto lease = db_->acquire();
  return require_change(
      lease.run("UPDATE sessions SET id_hash = ?, last_seen_at = ? WHERE id_hash = ?", new_hash, at, old_hash),
      "session");
}

Result<void> SqlSessionStore::mark_confirmed(std::string_view id_hash, TimePoint at) {
  auto lease = db_->acquire();
  return require_change(lease.run("UPDATE sessions SET confirmed_at = ? WHERE id_hash = ?", at, id_hash), "session");
}

Result<void> SqlSessionStore::set_auth_methods(std::string_view id_hash, std::string_view auth_methods) {
  auto lease = db_->acquire();
  return require_change(lease.run("UPDATE sessions SET auth_methods = ? WHERE id_hash = ?", auth_methods, id_hash),
                        "session");
}

Result<std::optional<EndedSession>> SqlSessionStore::revoke(std::string_view id_hash) {
  auto lease = db_->acquire();
  auto ended = read_rows(lease.query("DELETE FROM sessions WHERE id_hash = ? RETURNING sid, account_id", id_hash),
                         read_ended);
  if (!ended) return tl::unexpected(ended.error());
  if (ended->empty()) return std::optional<EndedSession>();
  return std::optional<EndedSession>(std::move(ended->front()));
}

Result<std::optional<EndedSession>> SqlSessionStore::revoke_by_sid(std::string_view sid) {
  auto lease = db_->acquire();
  auto ended = read_rows(lease.query("DELETE FROM sessions WHERE sid = ? RETURNING sid, account_id", sid), read_ended);
  if (!ended) return tl::unexpected(ended.error());
  if (ended->empty()) return std::optional<EndedSession>();
  return std::optional<EndedSession>(std::move(ended->front()));
}

Result<std::vector<EndedSession>> SqlSessionStore::revoke_all(AccountId account, std::string_view keep_hash) {
  auto lease = db_->acquire();
  // An empty keep_hash matches no row, so every session is ended.
  return read_rows(lease.query("DELETE FROM sessions WHERE account_id = ? AND id_hash <> ? RETURNING sid, account_id",
                               account, keep_hash),
                   read_ended);
}

Result<std::vector<EndedSession>> SqlSessionStore::revoke_every() {
  auto lease = db_->acquire();
  return read_rows(lease.query("DELETE FROM sessions RETURNING sid, account_id"), read_ended);
}

Result<std::vector<Session>> SqlSessionStore::list_for_account(AccountId account) {
  auto lease = db_->acquire();
  auto stmt = lease.query(std::string(kSelect) +
                              "WHERE account_id = ? AND expires_at > ? ORDER BY created_at DESC, last_seen_at DESC",
                          account, clock_.now());
  return read_rows(std::move(stmt), read_session);
}

Result<int> SqlSessionStore::purge_expired(TimePoint now, TimePoint idle_before) {
  auto lease = db_->acquire();
  // Same boundaries as the checks at request time: expired once now reaches
  // expires_at, idle once last seen at or before now - idle timeout.
  return lease.run("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?", now, idle_before);
}

}  // namespace portier::storage
