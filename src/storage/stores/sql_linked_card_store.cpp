#include "storage/stores/sql_linked_card_store.h"

namespace portier::storage {

namespace {

constexpr const char* kColumns =
    "SELECT sha256, account_id, subject, issuer, serial, holder, not_after, linked_at, last_used_at FROM linked_cards ";

LinkedCard read_card(const Statement& row) {
  LinkedCard c;
  c.sha256 = row.text(0);
  c.account_id = row.int64(1);
  c.subject = row.text(2);
  c.issuer = row.text(3);
  c.serial = row.text(4);
  c.holder = row.text(5);
  c.not_after = row.time(6);
  c.linked_at = row.time(7);
  c.last_used_at = row.optional_time(8);
  return c;
}

}  // namespace

Result<LinkedCard> SqlLinkedCardStore::find(std::string_view sha256) {
  auto lease = db_->acquire();
  auto rows = read_rows(lease.query(std::string(kColumns) + "WHERE sha256 = ?", sha256), read_card);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::NotFound, "card not linked");
  return std::move(rows->front());
}

Result<void> SqlLinkedCardStore::link(const LinkedCard& c) {
  auto lease = db_->acquire();
  auto done = lease.run(
      "INSERT INTO linked_cards (sha256, account_id, subject, issuer, serial, holder, not_after, linked_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      c.sha256, c.account_id, c.subject, c.issuer, c.serial, c.holder, c.not_after, c.linked_at);
  if (!done) return tl::unexpected(done.error());
  return {};
}

Result<void> SqlLinkedCardStore::touch(std::string_view sha256, TimePoint at) {
  auto lease = db_->acquire();
  return require_change(lease.run("UPDATE linked_cards SET last_used_at = ? WHERE sha256 = ?", at, sha256),
                        "linked card");
}

Result<std::vector<LinkedCard>> SqlLinkedCardStore::list_for_account(AccountId account) {
  auto lease = db_->acquire();
  return read_rows(
      lease.query(std::string(kColumns) + "WHERE account_id = ? ORDER BY linked_at DESC, sha256", account),
      read_card);
}

Result<bool> SqlLinkedCardStore::unlink(AccountId account, std::string_view sha256) {
  auto lease = db_->acquire();
  auto deleted = lease.run("DELETE FROM linked_cards WHERE account_id = ? AND sha256 = ?", account, sha256);
  if (!deleted) return tl::unexpected(deleted.error());
  return *deleted > 0;
}

Result<std::vector<AccountId>> SqlLinkedCardStore::accounts_with_rpps(std::string_view rpps) {
  auto lease = db_->acquire();
  return read_rows(lease.query("SELECT id FROM accounts WHERE rpps = ? ORDER BY id LIMIT 5", rpps),
                   [](const Statement& s) { return static_cast<AccountId>(s.int64(0)); });
}

}  // namespace portier::storage
