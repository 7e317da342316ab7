#pragma once
#include <optional>
#include <vector>

#include "common/result.h"
#include "flow/flow.h"
#include "notify/outbound_message.h"

namespace portier {

// A link or code sent to a member, stored as a keyed hash only.
struct OneTimeToken {
  std::string hash;
  std::string purpose;  // "recovery_link", "recovery_code"
  AccountId account = 0;
  TimePoint created_at{};
  TimePoint expires_at{};
  std::optional<TimePoint> used_at;  // also set when revoked

  bool is_usable(TimePoint now) const { return !used_at && now < expires_at; }
};

// The links and codes for one account, and the message that carries them.
struct TokenIssue {
  AccountId account = 0;
  std::vector<OneTimeToken> tokens;
  OutboundMessage message;
};

// Persistence of the recovery flow. Each method is one transaction, so that
// a state change and the message announcing it are written together or not
// at all (a crash between the two would send a dead link or lose the mail).
class RecoveryStore {
public:
  virtual ~RecoveryStore() = default;
  /// In one transaction: creates `flow` (when `expected_state` is empty) or
  /// moves it with a compare-and-set on `expected_state` (FlowStateInvalid
  /// when it moved meanwhile); for each issue, revokes every unused token of
  /// the same purposes of that account, stores the new tokens and enqueues
  /// the message; enqueues each notice. Returns the ids of the enqueued messages.
  virtual Result<std::vector<std::int64_t>> save(const FlowEnvelope& flow, std::string_view expected_state,
                                                 const std::vector<TokenIssue>& issues,
                                                 const std::vector<OutboundMessage>& notices) = 0;
  /// The token with this hash, used or not; NotFound when unknown.
  virtual Result<OneTimeToken> find_token(std::string_view hash) = 0;
  /// In one transaction: spends the token (only if unused and unexpired at
  /// `now`: FlowStateInvalid otherwise, so of two racing submissions one
  /// wins), sets `new_hash` as the account's permanent password, revokes its
  /// other recovery tokens, lifts any sign-in suspension or lock, ends all its
  /// sessions and enqueues `notice`.
  virtual Result<std::int64_t> complete_reset(std::string_view token_hash, AccountId account,
                                              std::string_view new_hash, TimePoint now,
                                              const OutboundMessage& notice) = 0;
  /// Deletes tokens that expired before `now`.
  virtual Result<int> purge_expired(TimePoint now) = 0;
};

}  // namespace portier
