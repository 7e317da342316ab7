#pragma once
#include "common/result.h"
#include "flow/flow.h"

namespace portier {

class FlowStore {
public:
  virtual ~FlowStore() = default;
  virtual Result<void> create(const FlowEnvelope& flow) = 0;
  /// NotFound when absent or of another kind.
  virtual Result<FlowEnvelope> find(FlowKind kind, std::string_view id_hash) = 0;
  /// Compare-and-set transition: writes `flow` only if the stored state is
  /// still `expected_state`. FlowStateInvalid otherwise, so two concurrent
  /// submissions of the same flow cannot both complete it.
  virtual Result<void> transition(const FlowEnvelope& flow, std::string_view expected_state) = 0;
  /// Counts one attempt on the flow, atomically, only while it has fewer than
  /// `max`: returns the new count, or FlowStateInvalid when the flow already
  /// used them all (parallel wrong codes cannot exceed `max`).
  virtual Result<int> count_attempt(FlowKind kind, std::string_view id_hash, int max) = 0;
  /// Deletes every flow of this kind (e.g. older setup links when a new one is issued).
  virtual Result<int> delete_kind(FlowKind kind) = 0;
  virtual Result<int> purge_expired(TimePoint now) = 0;
};

}  // namespace portier
