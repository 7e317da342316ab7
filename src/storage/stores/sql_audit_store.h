#pragma once
#include <memory>

#include "audit/audit_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// AuditStore, written once for SQLite and PostgreSQL. Append-only: nothing here
// updates or deletes events.
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
