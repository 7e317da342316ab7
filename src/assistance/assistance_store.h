#pragma once
#include <functional>
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
  /// The messages a new request queues, made once its id is known (the
  /// team's notice links to the request's page).
  using MessagesFor = std::function<std::vector<OutboundMessage>(std::int64_t id)>;
  /// Inserts a new request (status new) and, in the same transaction, its
  /// messages (the acknowledgement, the team's notice). Returns the request's
  /// id. Conflict when its reference is already used (the caller draws another).
  virtual Result<std::int64_t> create(const AssistanceRequest& request, const MessagesFor& messages) = 0;
  /// NotFound when there is no such request.
  virtual Result<AssistanceRequest> find(std::int64_t id) = 0;
  /// Oldest first for new requests (a queue), by slot for scheduled ones,
  /// newest first for done ones; every status when `status` is empty.
  virtual Result<std::vector<AssistanceRequest>> list(std::optional<AssistanceStatus> status, int limit) = 0;
  /// One account's requests, newest first (the console's account page).
  virtual Result<std::vector<AssistanceRequest>> list_for_account(AccountId account, int limit) = 0;
  /// How many requests are in `status` (the console menu counts the new ones).
  virtual Result<int> count(AssistanceStatus status) = 0;
  /// Assigns a new, unassigned (or already ours) request to `agent` and
  /// moves it to in_progress. FlowStateInvalid when it is no longer new (nor
  /// in progress with `agent`) or another agent has it;
  /// NotFound when it does not exist.
  virtual Result<void> take(std::int64_t id, AccountId agent) = 0;
  /// Moves a request `agent` holds from in progress (or scheduled: a new time) to
  /// scheduled at `at` and queues `confirmation` in the same transaction.
  /// FlowStateInvalid when it is done or held by someone else.
  virtual Result<void> schedule(std::int64_t id, AccountId agent, TimePoint at,
                                const std::optional<OutboundMessage>& confirmation) = 0;
  /// Closes a request `agent` holds with a note and queues `notice` (to the
  /// member) in the same transaction. FlowStateInvalid when it is already
  /// done or held by someone else.
  virtual Result<void> close(std::int64_t id, AccountId agent, std::string_view note, TimePoint at,
                             const std::optional<OutboundMessage>& notice) = 0;
};

}  // namespace portier
