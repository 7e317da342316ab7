#include "storage/stores/sql_signing_key_store.h"

namespace portier::storage {

namespace {

using oidc::KeyState;
using oidc::StoredSigningKey;

// ON CONFLICT with no target: a taken slot (the partial unique index) or an
// existing kid both make the insert do nothing, on SQLite and PostgreSQL.
Result<int> insert(Lease& lease, const StoredSigningKey& k) {
  return lease.run(
      "INSERT INTO oidc_signing_keys (kid, alg, state, public_jwk, private_box, created_at, activated_at, retired_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      k.kid, oidc::jose::to_string(k.alg), oidc::to_string(k.state), k.public_jwk, k.private_box, k.created_at,
      k.activated_at, k.retired_at);
}

}  // namespace

Result<std::vector<StoredSigningKey>> SqlSigningKeyStore::list() {
  auto lease = db_->acquire();
  std::vector<StoredSigningKey> keys;
  auto stmt = lease.query(
      "SELECT kid, alg, state, public_jwk, private_box, created_at, activated_at, retired_at FROM oidc_signing_keys"
      " ORDER BY created_at, kid");
  if (!stmt) return tl::unexpected(stmt.error());
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    StoredSigningKey k;
    k.kid = stmt->text(0);
    auto alg = oidc::jose::parse_alg(stmt->text(1));
    auto state = oidc::parse_key_state(stmt->text(2));
    // A row this version cannot read is a newer version's key or a hand
    // edit: skipping it could sign with nothing, so say so.
    if (!alg || !state) return fail(ErrorCode::Internal, "signing key " + k.kid + " has an unknown alg or state");
    k.alg = *alg;
    k.state = *state;
    k.public_jwk = stmt->text(3);
    k.private_box = stmt->text(4);
    k.created_at = stmt->time(5);
    k.activated_at = stmt->optional_time(6);
    k.retired_at = stmt->optional_time(7);
    keys.push_back(std::move(k));
  }
  return keys;
}

Result<bool> SqlSigningKeyStore::insert_if_free(const StoredSigningKey& key) {
  if (key.state == KeyState::Retired) return fail(ErrorCode::InvalidInput, "a new key is active or next");
  auto lease = db_->acquire();
  auto inserted = insert(lease, key);
  if (!inserted) return tl::unexpected(inserted.error());
  return *inserted == 1;
}

Result<bool> SqlSigningKeyStore::rotate(std::string_view active_kid, std::string_view next_kid,
                                        const StoredSigningKey& new_next, TimePoint now) {
  if (new_next.state != KeyState::Next) return fail(ErrorCode::InvalidInput, "the new key must be next");
  auto lease = db_->acquire();
  // Conflict inside means "another node rotated first": roll back, answer false.
  auto done = transaction(lease, [&]() -> Result<void> {
    // On PostgreSQL the second of two concurrent rotations waits on this
    // row's lock, then re-checks `state = 'active'`, finds it retired and
    // changes nothing; SQLite serializes writers.
    auto retired = lease.run(
        "UPDATE oidc_signing_keys SET state = 'retired', retired_at = ? WHERE kid = ? AND state = 'active'", now,
        active_kid);
    if (!retired) return tl::unexpected(retired.error());
    if (*retired != 1) return fail(ErrorCode::Conflict, "already rotated");
    auto promoted = lease.run(
        "UPDATE oidc_signing_keys SET state = 'active', activated_at = ? WHERE kid = ? AND state = 'next'", now,
        next_kid);
    if (!promoted) return tl::unexpected(promoted.error());
    if (*promoted != 1) return fail(ErrorCode::Conflict, "next key changed");
    auto inserted = insert(lease, new_next);
    if (!inserted) return tl::unexpected(inserted.error());
    if (*inserted != 1) return fail(ErrorCode::Conflict, "next slot taken");
    return {};
  });
  if (!done) {
    if (done.error().code == ErrorCode::Conflict) return false;
    return tl::unexpected(done.error());
  }
  return true;
}

Result<int> SqlSigningKeyStore::delete_retired(TimePoint cutoff) {
  auto lease = db_->acquire();
  return lease.run("DELETE FROM oidc_signing_keys WHERE state = 'retired' AND retired_at <= ?", cutoff);
}

}  // namespace portier::storage
