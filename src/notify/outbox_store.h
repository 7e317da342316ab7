#pragma once
#include <vector>

#include "common/result.h"
#include "notify/outbound_message.h"

namespace portier {

// Persistence of the outbox. Anything several nodes must agree on (which
// node sends a message) is decided here by the database, never in memory.
class OutboxStore {
public:
  virtual ~OutboxStore() = default;
  /// Stores a new message (status queued, due now); returns its id.
  virtual Result<std::int64_t> enqueue(const OutboundMessage& message) = 0;
  /// Claims up to `limit` messages due at `now` (queued, or deferred with
  /// next_attempt_at <= now) for one worker: each claimed message's
  /// next_attempt_at moves to `lease_until`, so another worker or node does
  /// not take it meanwhile, and a worker that dies mid-send leaves it to be
  /// retried after the lease. Each claim carries a fresh claim_token. Oldest
  /// first. Several nodes may claim at once: no message goes to two of them.
  virtual Result<std::vector<OutboundMessage>> claim_due(TimePoint now, TimePoint lease_until, int limit) = 0;
  /// The status updates below take the message as claim_due gave it: its id
  /// and its claim_token. They are NotFound when the message is not pending
  /// under that claim any more (sent, given up, or claimed by another worker
  /// after this one's lease ran out).
  /// Marks a message sent and erases its bodies (they may hold a code or a link).
  virtual Result<void> mark_sent(const OutboundMessage& claimed, TimePoint at) = 0;
  /// Records a failed attempt that will be retried at `retry_at`.
  virtual Result<void> mark_deferred(const OutboundMessage& claimed, TimePoint retry_at, std::string_view error) = 0;
  /// Gives up on a message; its bodies are erased.
  virtual Result<void> mark_failed(const OutboundMessage& claimed, std::string_view error) = 0;
  /// Makes every deferred message due at `now` (the relay is back: do not
  /// wait out the back-off). Returns how many.
  virtual Result<int> retry_deferred(TimePoint now) = 0;
  /// Newest first, for `portier mail list`.
  virtual Result<std::vector<OutboundMessage>> list(int limit, int offset) = 0;
  /// One account's messages, newest first (support console, tests).
  virtual Result<std::vector<OutboundMessage>> list_for_account(AccountId account, int limit) = 0;
};

}  // namespace portier
