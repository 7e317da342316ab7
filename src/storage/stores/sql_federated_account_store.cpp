#include "storage/stores/sql_federated_account_store.h"

namespace portier::storage {

namespace {

// Any row at all for this query?
Result<bool> exists(Result<Statement> stmt) {
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return *row;
}

}  // namespace

Result<Account> SqlFederatedAccountStore::create_linked(const Account& a, const FederatedLink& link) {
  auto lease = db_->acquire();
  auto now = clock_.now();
  bool postgres = db_->dialect().backend() == sql::Backend::Postgres;
  return transaction(lease, [&]() -> Result<Account> {
    if (postgres) {
      // The key names this one purpose; held until COMMIT or ROLLBACK.
      auto locked = exists(lease.query("SELECT pg_advisory_xact_lock(7420418)"));
      if (!locked) return tl::unexpected(locked.error());
    }
    auto linked = exists(lease.query("SELECT 1 FROM federated_identities WHERE issuer = ? AND subject = ?",
                                     link.issuer, link.subject));
    if (!linked) return tl::unexpected(linked.error());
    if (*linked) return fail(ErrorCode::Conflict, "identity");
    if (a.rpps) {
      auto taken = exists(lease.query("SELECT 1 FROM accounts WHERE rpps = ?", *a.rpps));
      if (!taken) return tl::unexpected(taken.error());
      if (*taken) return fail(ErrorCode::Conflict, "rpps");
    }
    auto used = exists(lease.query("SELECT 1 FROM accounts WHERE lower(email) = lower(?)", a.email));
    if (!used) return tl::unexpected(used.error());
    if (*used) return fail(ErrorCode::Conflict, "email");
    auto identifier = exists(lease.query("SELECT 1 FROM accounts WHERE lower(identifier) = lower(?)", a.identifier));
    if (!identifier) return tl::unexpected(identifier.error());
    if (*identifier) return fail(ErrorCode::Conflict, "identifier");

    auto inserted = lease.query(
        "INSERT INTO accounts (identifier, email, display_name, phone, code_channel, status, role, rpps,"
        " password_hash, password_is_temporary, password_expires_at, created_at, updated_at, last_sign_in_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        a.identifier, a.email, a.display_name, a.phone, to_string(a.code_channel), to_string(a.status),
        to_string(a.role), a.rpps, a.password_hash, a.password_is_temporary, a.password_expires_at, now, now,
        a.last_sign_in_at);
    if (!inserted) return tl::unexpected(inserted.error());
    auto row = inserted->step();
    if (!row) {
      if (row.error().code == ErrorCode::Conflict) return fail(ErrorCode::Conflict, "identifier");
      return tl::unexpected(row.error());
    }
    if (!*row) return fail(ErrorCode::Internal, "INSERT … RETURNING gave no row");
    Account stored = a;
    stored.id = inserted->int64(0);
    stored.created_at = now;
    if (auto done = inserted->run(); !done) return tl::unexpected(done.error());

    auto linked_now = lease.run(
        "INSERT INTO federated_identities (provider, issuer, subject, account_id, person_id, display_name, linked_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        link.provider, link.issuer, link.subject, stored.id, link.person_id, link.display_name, link.linked_at);
    if (!linked_now) {
      // The unique (account_id, provider) cannot clash on a new account: the
      // identity's primary key did (a link made outside this lock).
      if (linked_now.error().code == ErrorCode::Conflict) return fail(ErrorCode::Conflict, "identity");
      return tl::unexpected(linked_now.error());
    }
    return stored;
  });
}

}  // namespace portier::storage
