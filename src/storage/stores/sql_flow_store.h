#pragma once
#include <memory>

#include "flow/flow_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

// Shared with stores that write a flow inside a larger transaction.
Result<void> insert_flow(Lease& lease, const FlowEnvelope& flow);
Result<void> transition_flow(Lease& lease, const FlowEnvelope& flow, std::string_view expected_state);

// FlowStore, written once for SQLite and PostgreSQL. State changes are single
// compare-and-set UPDATEs so that two submissions of one flow can never both
// win.
class SqlFlowStore final : public FlowStore {
public:
  explicit SqlFlowStore(std::shared_ptr<sql::Database> db);

  Result<void> create(const FlowEnvelope& flow) override;
  Result<FlowEnvelope> find(FlowKind kind, std::string_view id_hash) override;
  Result<void> transition(const FlowEnvelope& flow, std::string_view expected_state) override;
  Result<int> count_attempt(FlowKind kind, std::string_view id_hash, int max) override;
  Result<int> delete_kind(FlowKind kind) override;
  Result<int> purge_expired(TimePoint now) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
