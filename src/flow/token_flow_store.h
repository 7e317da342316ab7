#pragma once
// A flow, the one-time links or codes it hands out, and the messages that
// carry them, written together. Used by every flow that mails or texts a
// secret (forgot password, first connection, second step, phone proof).
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

// Every method is one transaction, so that a state change and the message
// announcing it are written together or not at all (a crash between the two
// would send a dead link or lose the mail).
class TokenFlowStore {
public:
  virtual ~TokenFlowStore() = default;
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
  /// Deletes tokens that expired before `now`.
  virtual Result<int> purge_expired(TimePoint now) = 0;
};

}  // namespace portier
