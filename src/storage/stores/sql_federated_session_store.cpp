#include "storage/stores/sql_federated_session_store.h"

#include "common/secret_box.h"

namespace portier::storage {

namespace {

// The derived key's name: a box of this kind never opens as another secret.
constexpr std::string_view kPurpose = "federated-id-token";

}  // namespace

Result<void> SqlFederatedSessionStore::remember(const FederatedSession& s) {
  auto box = seal_secret(secrets_, kPurpose, random_, s.id_token);
  auto lease = db_->acquire();
  auto done = lease.run(
      "INSERT INTO federated_sessions (sid, provider, id_token_box, expires_at) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (sid) DO UPDATE SET provider = ?2, id_token_box = ?3, expires_at = ?4",
      s.sid, s.provider, box, s.expires_at);
  if (!done) return tl::unexpected(done.error());
  return {};
}

Result<FederatedSession> SqlFederatedSessionStore::take(std::string_view sid) {
  auto lease = db_->acquire();
  // Read and delete are one statement: a second take, even a concurrent one,
  // finds no row (a logout at the provider is asked for once).
  auto rows = read_rows(
      lease.query("DELETE FROM federated_sessions WHERE sid = ? RETURNING sid, provider, id_token_box, expires_at",
                  sid),
      [](const Statement& row) {
        return std::tuple{row.text(0), row.text(1), row.text(2), row.time(3)};
      });
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::NotFound, "no federated session");
  auto& [found_sid, provider, box, expires_at] = rows->front();
  auto token = open_secret(secrets_, kPurpose, box);
  if (!token) return tl::unexpected(token.error());
  return FederatedSession{std::move(found_sid), std::move(provider), std::move(*token), expires_at};
}

Result<std::size_t> SqlFederatedSessionStore::purge_expired(TimePoint now) {
  auto lease = db_->acquire();
  auto n = lease.run("DELETE FROM federated_sessions WHERE expires_at <= ?", now);
  if (!n) return tl::unexpected(n.error());
  return static_cast<std::size_t>(*n);
}

}  // namespace portier::storage
