#pragma once
#include "common/result.h"
#include "flow/recovery/recovery_store.h"

namespace portier {

// Persistence of invitations. Each method is one transaction, so that the
// tokens and the message carrying them, or the spent token and the
// activated account, are written together or not at all.
class ActivationStore {
public:
  virtual ~ActivationStore() = default;
  /// In one transaction: revokes every unused token of the issue's purposes
  /// for its account, stores the new tokens and enqueues the message.
  /// Returns the id of the enqueued message.
  virtual Result<std::int64_t> issue(const TokenIssue& issue, TimePoint now) = 0;
  /// In one transaction: spends the token (only if unused and unexpired at
  /// `now`: FlowStateInvalid otherwise, so of two racing submissions one
  /// wins), sets `password_hash` as the account's permanent password and its
  /// status to active (only while pending: FlowStateInvalid otherwise), and
  /// revokes its other invitation tokens.
  virtual Result<void> complete_activation(std::string_view token_hash, AccountId account,
                                           std::string_view password_hash, TimePoint now) = 0;
};

}  // namespace portier
