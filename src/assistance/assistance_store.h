#pragma once
#include <optional>
#include <vector>

#include "assistance/assistance_request.h"
#include "common/result.h"
#include "notify/outbound_message.h"

namespace portier {

// Persistence of assistance requests. Every state change is one atomic
// compare-and-set in the database, so two agents clicking at once cannot
// both take, schedule or close the same request.
class AssistanceStore {
public:
  virtual ~AssistanceStore() = default;
  /// Inserts a new request (status new) and, in the same transaction, its
  /// acknowledgement when there is one. Returns the request's id.
  virtual Result<std::int64_t> create(const AssistanceRequest& request,
                                      const std::optional<OutboundMessage>& acknowledgement) = 0;
  /// NotFound when there is no such request.
  virtual Result<AssistanceRequest> find(std::int64_t id) = 0;
  /// Oldest first for new requests (a queue), by slot for scheduled ones,
  /// newest first for done ones; every status when `status` is empty.
  virtual Result<std::vector<AssistanceRequest>> list(std::optional<AssistanceStatus> status, int limit) = 0;
  /// One account's requests, newest first (the console's account page).
  virtual Result<std::vector<AssistanceRequest>> list_for_account(AccountId account, int limit) = 0;
  /// Assigns a new, unassigned (or already ours) request to `agent`.
  /// FlowStateInvalid when it is no longer new or another agent has it;
  /// NotFound when it does not exist.
  virtual Result<void> take(std::int64_t id, AccountId agent) = 0;
  /// Moves a request `agent` holds from new (or scheduled: a new time) to
  /// scheduled at `at` and queues `confirmation` in the same transaction.
  /// FlowStateInvalid when it is done or held by someone else.
  virtual Result<void> schedule(std::int64_t id, AccountId agent, TimePoint at,
                                const std::optional<OutboundMessage>& confirmation) = 0;
  /// Closes a request `agent` holds with a note. FlowStateInvalid when it is
  /// already done or held by someone else.
  virtual Result<void> close(std::int64_t id, AccountId agent, std::string_view note, TimePoint at) = 0;
};

}  // namespace portier
