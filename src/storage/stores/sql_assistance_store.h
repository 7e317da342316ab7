#pragma once
#include <memory>

#include "assistance/assistance_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// AssistanceStore, written once for SQLite and PostgreSQL: state changes are
// single UPDATEs whose WHERE holds the expected state, writes with a message
// are one transaction.
class SqlAssistanceStore final : public AssistanceStore {
public:
  explicit SqlAssistanceStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

  Result<std::int64_t> create(const AssistanceRequest& request, const MessagesFor& messages) override;
  Result<AssistanceRequest> find(std::int64_t id) override;
  Result<std::vector<AssistanceRequest>> list(std::optional<AssistanceStatus> status, int limit) override;
  Result<std::vector<AssistanceRequest>> list_for_account(AccountId account, int limit) override;
  Result<int> count(AssistanceStatus status) override;
  Result<void> take(std::int64_t id, AccountId agent) override;
  Result<void> schedule(std::int64_t id, AccountId agent, TimePoint at,
                        const std::optional<OutboundMessage>& confirmation) override;
  Result<void> close(std::int64_t id, AccountId agent, std::string_view note, TimePoint at,
                     const std::optional<OutboundMessage>& notice) override;

private:
  Result<void> changed_or_why(Lease& lease, int changed, std::int64_t id);
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
