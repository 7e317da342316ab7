#pragma once
#include <memory>

#include "audit/audit_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// The INSERT of one event on `lease`, for stores that write an event in the
// transaction of the change it records (SqlOidcAccessTokenStore).
Result<void> insert_audit_event(Lease& lease, const AuditEvent& event);

// AuditStore, written once for SQLite and PostgreSQL. Append-only: nothing here
// updates or deletes events. append() goes through the database's group
// commit (sql/group_commit.h): events recorded at the same moment by many
// requests share one durable commit, and each caller still returns only
// once its event is committed.
class SqlAuditStore final : public AuditStore {
public:
  explicit SqlAuditStore(std::shared_ptr<sql::Database> db);

  Result<void> append(const AuditEvent& event) override;
  Result<std::optional<AuditEvent>> first_for_account(AccountId account, std::string_view event) override;
  Result<std::vector<AuditEvent>> recent_for_account(AccountId account, int limit) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
