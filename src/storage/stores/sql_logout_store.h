#pragma once
#include <memory>

#include "oidc/logout_store.h"
#include "storage/stores/store_support.h"

namespace portier::storage {

/// For the composite operations that delete an account's sessions inside
/// their own transaction, past SessionService (a password reset, a confirmed
/// email change): queues, on `lease` and before their DELETE, the
/// back-channel logouts of the sessions that DELETE will end (the account's,
/// but `keep_hash`, which may be empty), and forgets their applications.
/// Same transaction: the logouts exist if and only if the sessions ended.
Result<int> queue_logouts_for_account(Lease& lease, AccountId account, std::string_view keep_hash, TimePoint now);

// LogoutStore, written once for SQLite and PostgreSQL (migration 0019 /
// postgres 0008): oidc_session_clients and oidc_backchannel_queue. The
// queue is claimed like the mail outbox (sql_outbox_store.cpp).
class SqlLogoutStore final : public oidc::LogoutStore {
public:
  explicit SqlLogoutStore(std::shared_ptr<sql::Database> db) : db_(std::move(db)) {}

  Result<void> record_use(std::string_view sid, AccountId account, std::string_view client_id, TimePoint at) override;
  Result<std::vector<std::string>> clients_of(std::string_view sid) override;
  Result<int> queue_logouts(std::string_view sid, TimePoint now) override;
  Result<std::vector<oidc::BackchannelDelivery>> claim_due(TimePoint now, TimePoint lease_until, int limit) override;
  Result<void> mark_sent(const oidc::BackchannelDelivery& claimed, TimePoint at) override;
  Result<void> mark_deferred(const oidc::BackchannelDelivery& claimed, TimePoint retry_at,
                             std::string_view error) override;
  Result<void> mark_failed(const oidc::BackchannelDelivery& claimed, std::string_view error) override;
  Result<std::vector<oidc::BackchannelDelivery>> list(int limit) override;
  Result<int> purge(TimePoint before) override;

private:
  std::shared_ptr<sql::Database> db_;
};

}  // namespace portier::storage
