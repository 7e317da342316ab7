#pragma once
#include <memory>

#include "audit/audit_store.h"
#include "storage/sqlite/database.h"

namespace portier::storage::sqlite {

// AuditStore on SQLite. Append-only: nothing here updates or deletes events.
class SqliteAuditStore final : public AuditStore {
public:
  explicit SqliteAuditStore(std::shared_ptr<Database> db);

  Result<void> append(const AuditEvent& event) override;
  Result<std::optional<AuditEvent>> first_for_account(AccountId account, std::string_view event) override;
  Result<std::vector<AuditEvent>> recent_for_account(AccountId account, int limit) override;

private:
  std::shared_ptr<Database> db_;
};

}  // namespace portier::storage::sqlite
