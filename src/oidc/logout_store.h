#pragma once
// What the provider remembers for logout (oidc/logout_service.h): which
// applications each session signed into, and the back-channel logouts
// waiting to be delivered. Shared by every node
// (storage/stores/sql_logout_store.*); anything several nodes must agree on
// (which node delivers a logout) is decided here by the database.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "account/account.h"
#include "common/clock.h"
#include "common/result.h"

namespace portier::oidc {

enum class DeliveryStatus { Queued, Deferred, Sent, Failed };

// One back-channel logout to deliver: application `client_id` is told that
// session `sid` of `account_id` ended.
struct BackchannelDelivery {
  std::int64_t id = 0;
  std::string client_id;
  AccountId account_id = 0;
  std::string sid;
  DeliveryStatus status = DeliveryStatus::Queued;
  int attempts = 0;  // attempts started (a claim counts as one)
  TimePoint created_at{};
  TimePoint next_attempt_at{};
  std::optional<TimePoint> sent_at;
  std::string last_error;
  std::string claim_token;  // the claim this copy was handed out under
};

class LogoutStore {
public:
  virtual ~LogoutStore() = default;
  /// Session `sid` of `account` signed into `client_id` at `at`: the pair is
  /// recorded once (first_used_at kept), last_used_at moves to `at`.
  /// InvalidInput/Internal when the client does not exist (foreign key).
  virtual Result<void> record_use(std::string_view sid, AccountId account, std::string_view client_id, TimePoint at) = 0;
  /// The applications session `sid` signed into, by client_id.
  virtual Result<std::vector<std::string>> clients_of(std::string_view sid) = 0;
  /// The session ended: one delivery per application it signed into that
  /// registered a backchannel_logout_uri, due at `now`, and the session's
  /// applications forgotten, in one transaction. Returns how many were queued.
  virtual Result<int> queue_logouts(std::string_view sid, TimePoint now) = 0;
  /// Claims up to `limit` deliveries due at `now` for one worker, exactly
  /// like OutboxStore::claim_due: next_attempt_at moves to `lease_until`,
  /// attempts grows by one, a fresh claim_token. Oldest first. Several nodes
  /// may claim at once: no delivery goes to two of them.
  virtual Result<std::vector<BackchannelDelivery>> claim_due(TimePoint now, TimePoint lease_until, int limit) = 0;
  /// The updates below are NotFound when the delivery is no longer pending
  /// under that claim (done, or claimed by another worker since).
  virtual Result<void> mark_sent(const BackchannelDelivery& claimed, TimePoint at) = 0;
  virtual Result<void> mark_deferred(const BackchannelDelivery& claimed, TimePoint retry_at, std::string_view error) = 0;
  virtual Result<void> mark_failed(const BackchannelDelivery& claimed, std::string_view error) = 0;
  /// Newest first (tests, operators).
  virtual Result<std::vector<BackchannelDelivery>> list(int limit) = 0;
  /// Housekeeping: deletes deliveries done (sent or failed) before `before`,
  /// and the application lists of sessions that no longer exist (expired).
  virtual Result<int> purge(TimePoint before) = 0;
};

}  // namespace portier::oidc
