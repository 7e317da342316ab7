#include "storage/stores/sql_account_store.h"

#include "account/search_terms.h"

namespace portier::storage {

namespace {

constexpr const char* kColumns =
    "id, identifier, email, display_name, phone, code_channel, status, role, rpps,"
    " password_hash, password_is_temporary, password_expires_at, created_at, last_sign_in_at, phone_verified_at";

// An enum text the code cannot read back means a bug or a newer schema; the
// CHECK constraints make it unreachable through this store.
Result<Account> read_account(const Statement& row) {
  Account a;
  a.id = row.int64(0);
  a.identifier = row.text(1);
  a.email = row.text(2);
  a.display_name = row.text(3);
  a.phone = row.optional_text(4);
  auto channel = parse_channel(row.text(5));
  auto status = parse_status(row.text(6));
  auto role = parse_role(row.text(7));
  if (!channel || !status || !role)
    return fail(ErrorCode::Internal, "account " + std::to_string(a.id) + " has an unknown enum value");
  a.code_channel = *channel;
  a.status = *status;
  a.role = *role;
  a.rpps = row.optional_text(8);
  a.password_hash = row.text(9);
  a.password_is_temporary = row.int64(10) != 0;
  a.password_expires_at = row.optional_time(11);
  a.created_at = row.time(12);
  a.last_sign_in_at = row.optional_time(13);
  a.phone_verified_at = row.optional_time(14);
  return a;
}

Result<Account> read_one(Result<Statement>& stmt) {
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return fail(ErrorCode::NotFound, "account not found");
  return read_account(*stmt);
}

Result<std::vector<Account>> read_all(Result<Statement>&& stmt) { return read_rows(std::move(stmt), read_account); }

std::string select_where(std::string_view tail) {
  return std::string("SELECT ") + kColumns + " FROM accounts " + std::string(tail);
}

}  // namespace

SqlAccountStore::SqlAccountStore(std::shared_ptr<sql::Database> db, const Clock& clock)
    : db_(std::move(db)), clock_(clock) {}

namespace {

Result<Account> insert_account(Lease& lease, const Account& a, TimePoint now) {
  // RETURNING hands back the row as stored (id, defaults) in the same
  // statement; the unique index on the identifier regardless of case (SQLite:
  // COLLATE NOCASE; PostgreSQL: lower()) turns "Alice" after "alice" into Conflict.
  auto stmt = lease.query(
      std::string("INSERT INTO accounts (identifier, email, display_name, phone, code_channel, status,"
                  " role, rpps, password_hash, password_is_temporary, password_expires_at,"
                  " created_at, updated_at, last_sign_in_at)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ") + kColumns,
      a.identifier, a.email, a.display_name, a.phone, to_string(a.code_channel), to_string(a.status),
      to_string(a.role), a.rpps, a.password_hash, a.password_is_temporary, a.password_expires_at,
      now, now, a.last_sign_in_at);
  auto created = read_one(stmt);
  if (!created) return created;
  // Drive the statement to completion so the insert is finished and its
  // implicit transaction committed before the lease goes back to the pool.
  if (auto done = stmt->run(); !done) return tl::unexpected(done.error());
  return created;
}

}  // namespace

Result<Account> SqlAccountStore::create(const Account& a) {
  auto lease = db_->acquire();
  return insert_account(lease, a, clock_.now());
}

Result<std::vector<Account>> SqlAccountStore::create_many(const std::vector<Account>& accounts) {
  auto lease = db_->acquire();
  auto now = clock_.now();
  return transaction(lease, [&]() -> Result<std::vector<Account>> {
    std::vector<Account> out;
    out.reserve(accounts.size());
    for (const auto& a : accounts) {
      auto created = insert_account(lease, a, now);
      if (!created) {
        // The rollback undoes the rows inserted before this one.
        if (created.error().code == ErrorCode::Conflict) return fail(ErrorCode::Conflict, a.identifier);
        return tl::unexpected(created.error());
      }
      out.push_back(std::move(*created));
    }
    return out;
  });
}

Result<Account> SqlAccountStore::find_by_id(AccountId id) {
  auto lease = db_->acquire();
  auto stmt = lease.query(select_where("WHERE id = ?"), id);
  return read_one(stmt);
}

Result<Account> SqlAccountStore::find_by_identifier(std::string_view identifier) {
  auto lease = db_->acquire();
  auto stmt = lease.query(select_where("WHERE lower(identifier) = lower(?)"), identifier);
  return read_one(stmt);
}

Result<std::vector<Account>> SqlAccountStore::find_by_email(std::string_view email) {
  auto lease = db_->acquire();
  return read_all(lease.query(select_where("WHERE lower(email) = lower(?) ORDER BY created_at, id"), email));
}

Result<std::vector<Account>> SqlAccountStore::list(int limit, int offset) {
  auto lease = db_->acquire();
  return read_all(lease.query(select_where("ORDER BY identifier LIMIT ? OFFSET ?"), limit, offset));
}

Result<std::vector<Account>> SqlAccountStore::search(std::string_view text, int limit) {
  auto words = search_words(text);
  if (words.empty()) return std::vector<Account>{};
  auto lease = db_->acquire();
  // A word every account shares ("example", a common first name on a big
  // network) must not sort the whole table: the first 2 000 matches (in
  // creation order) are ordered, enough for "50 at most, refine".
  if (lease.dialect().backend() == sql::Backend::Sqlite) {
    // Every entry as a prefix phrase ("claire martin"* : its words in a row,
    // the last one a prefix), the entries in any order (migration
    // 0012_console_search). The words hold only letters and digits, quoted
    // all the same so that FTS5's operators (AND, OR, NOT, NEAR) are words
    // like any other.
    std::string match;
    for (auto& w : words) match += (match.empty() ? "\"" : " AND \"") + w + "\"*";
    return read_all(lease.query(
        select_where("WHERE id IN (SELECT rowid FROM account_search WHERE account_search MATCH ?1 LIMIT 2000)"
                     " ORDER BY identifier LIMIT ?2"),
        match, limit));
  }
  // PostgreSQL (postgres/0002_account_search): each entry, folded like the
  // stored words, at the start of a word; the words hold no LIKE wildcard.
  std::vector<sql::Param> params{sql::param(limit)};
  std::string where;
  for (auto& w : words) {
    params.push_back(sql::param(w));
    where += std::string(where.empty() ? "" : " AND ") + "words LIKE '%' || rtrim(account_search_fold(?" +
             std::to_string(params.size()) + ")) || '%'";
  }
  return read_all(lease.connection().query(
      select_where("WHERE id IN (SELECT account_id FROM account_search WHERE " + where +
                   " ORDER BY account_id LIMIT 2000) ORDER BY identifier LIMIT ?1"),
      std::move(params)));
}

Result<void> SqlAccountStore::update_profile(const Account& a) {
  auto lease = db_->acquire();
  return require_change(
      lease.run("UPDATE accounts SET email = ?, display_name = ?, phone = ?, code_channel = ?,"
                " rpps = ?, phone_verified_at = ?, updated_at = ? WHERE id = ?",
                a.email, a.display_name, a.phone, to_string(a.code_channel), a.rpps,
                a.phone ? a.phone_verified_at : std::nullopt, clock_.now(), a.id),
      "account");
}

Result<void> SqlAccountStore::set_status(AccountId id, AccountStatus status) {
  auto lease = db_->acquire();
  return require_change(lease.run("UPDATE accounts SET status = ?, updated_at = ? WHERE id = ?",
                                  to_string(status), clock_.now(), id),
                        "account");
}

Result<void> SqlAccountStore::set_role(AccountId id, Role role) {
  auto lease = db_->acquire();
  return require_change(lease.run("UPDATE accounts SET role = ?, updated_at = ? WHERE id = ?",
                                  to_string(role), clock_.now(), id),
                        "account");
}

Result<void> SqlAccountStore::set_password(AccountId id, std::string_view hash,
                                              std::optional<TimePoint> temporary_until) {
  auto lease = db_->acquire();
  auto now = clock_.now();
  return transaction(lease, [&]() -> Result<void> {
    // A permanent password clears both temporary fields, so an old deadline can
    // never lock out a member who has since chosen their own password.
    auto changed = require_change(
        lease.run("UPDATE accounts SET password_hash = ?, password_is_temporary = ?,"
                  " password_expires_at = ?, updated_at = ? WHERE id = ?",
                  hash, temporary_until.has_value(), temporary_until, now, id),
        "account");
    if (!changed) return changed;
    // A reset link sent before this change must not undo it.
    auto revoked = lease.run(
        "UPDATE one_time_tokens SET used_at = ? WHERE account_id = ? AND used_at IS NULL"
        " AND purpose IN ('recovery_link', 'recovery_code')",
        now, id);
    if (!revoked) return tl::unexpected(revoked.error());
    return {};
  });
}

Result<void> SqlAccountStore::rehash_password(AccountId id, std::string_view old_hash,
                                                 std::string_view new_hash) {
  auto lease = db_->acquire();
  // Compare-and-set: if the member (or support) changed the password between
  // our verify and this write, the stored hash differs and we write nothing.
  // That is not an error for the caller, whose sign-in already succeeded.
  auto changed = lease.run(
      "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ? AND password_hash = ?",
      new_hash, clock_.now(), id, old_hash);
  if (!changed) return tl::unexpected(changed.error());
  return {};
}

Result<void> SqlAccountStore::record_sign_in(AccountId id, TimePoint at) {
  auto lease = db_->acquire();
  return require_change(lease.run("UPDATE accounts SET last_sign_in_at = ? WHERE id = ?", at, id),
                        "account");
}

Result<int> SqlAccountStore::count_active_with_role(Role role) {
  auto lease = db_->acquire();
  auto stmt = lease.query("SELECT COUNT(*) FROM accounts WHERE role = ? AND status = 'active'",
                          to_string(role));
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return static_cast<int>(stmt->int64(0));
}

}  // namespace portier::storage
