#pragma once
#include "flow/token_flow_store.h"

namespace portier {

// Persistence of the recovery flow: the generic flow-and-tokens writes, and
// the reset itself.
class RecoveryStore : public TokenFlowStore {
public:
  /// In one transaction: spends the token (only if unused and unexpired at
  /// `now`: FlowStateInvalid otherwise, so of two racing submissions one
  /// wins), sets `new_hash` as the account's permanent password, revokes its
  /// other recovery tokens, lifts any sign-in suspension or lock, ends all its
  /// sessions and enqueues `notice`.
  virtual Result<std::int64_t> complete_reset(std::string_view token_hash, AccountId account,
                                              std::string_view new_hash, TimePoint now,
                                              const OutboundMessage& notice) = 0;
};

}  // namespace portier
