#pragma once
#include <functional>
#include <variant>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "common/secret_hasher.h"
#include "notify/message_composer.h"
#include "notify/outbox_store.h"
#include "throttle/rate_limiter.h"

namespace portier {

struct ReminderSent {};
struct ReminderThrottled {};  // too many requests from this client address
using ReminderOutcome = std::variant<ReminderSent, ReminderThrottled>;

struct IdentifierReminderSettings {
  RateLimit per_target{5, std::chrono::hours(1)};
  RateLimit per_client{20, std::chrono::hours(1)};
  std::string public_url = "http://localhost:8080";
};

// "I don't know my identifier": mails the identifiers linked to an address
// to that address. An unknown address gets a message too, saying no account
// uses it: only the address's owner reads either, so the page and the asker
// learn nothing. No flow record: there is nothing to continue.
class IdentifierReminderService {
public:
  IdentifierReminderService(AccountStore& accounts, OutboxStore& outbox, RateLimiter& limiter,
                            const MessageComposer& composer, AuditLog& audit, const SecretHasher& secrets,
                            const Clock& clock, std::function<void()> wake_outbox, IdentifierReminderSettings settings);

  // InvalidInput when `email` is not an address (the page says so: that
  // reveals nothing about accounts).
  Result<ReminderOutcome> request(std::string_view email, std::string_view lang, const ClientInfo& client);

private:
  AccountStore& accounts_;
  OutboxStore& outbox_;
  RateLimiter& limiter_;
  const MessageComposer& composer_;
  AuditLog& audit_;
  const SecretHasher& secrets_;
  const Clock& clock_;
  std::function<void()> wake_outbox_;
  IdentifierReminderSettings settings_;
};

}  // namespace portier
