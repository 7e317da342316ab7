#pragma once
#include <memory>

#include "notify/outbox_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// OutboxStore on either backend. Which worker sends a message is decided by
// one atomic claim in the database, never by memory, so two workers (or two
// nodes on one PostgreSQL) cannot send the same message twice; each claim
// has its own token, which every status update must present.
class SqlOutboxStore final : public OutboxStore {
public:
  explicit SqlOutboxStore(std::shared_ptr<sql::Database> db);

  Result<std::int64_t> enqueue(const OutboundMessage& message) override;
  Result<std::vector<OutboundMessage>> claim_due(TimePoint now, TimePoint lease_until, int limit) override;
  Result<void> mark_sent(const OutboundMessage& claimed, TimePoint at) override;
  Result<void> mark_deferred(const OutboundMessage& claimed, TimePoint retry_at, std::string_view error) override;
  Result<void> mark_failed(const OutboundMessage& claimed, std::string_view error) override;
  Result<int> retry_deferred(TimePoint now) override;
  Result<std::vector<OutboundMessage>> list(int limit, int offset) override;
  Result<std::vector<OutboundMessage>> list_for_account(AccountId account, int limit) override;

private:
  std::shared_ptr<sql::Database> db_;
};

/// Inserts `m` as a queued message on `lease`, inside whatever transaction
/// the caller has open: a store that changes state (a recovery token, say)
/// calls this in the same transaction so the change and its message commit,
/// or roll back, together. Ignores m.id, m.status, m.attempts and m.sent_at.
/// `created_at` unset (epoch) means the database's now; `next_attempt_at`
/// unset means `created_at` (due at once). Returns the new id.
/// Errors: InvalidInput for an empty recipient or kind.
Result<std::int64_t> insert_outbox_message(Lease& lease, const OutboundMessage& m);

}  // namespace portier::storage
