#pragma once
#include <functional>
#include <map>
#include <variant>

#include "account/account_store.h"
#include "assistance/assistance_store.h"
#include "assistance/callback_slots.h"
#include "audit/audit_log.h"
#include "common/client_info.h"
#include "notify/message_composer.h"
#include "throttle/rate_limiter.h"

namespace portier {

// What the public form sends, as typed.
struct AssistanceForm {
  std::string target;  // identifier or email address
  std::string name;
  std::string phone;
  std::string message;
  std::vector<std::string> slots;  // slot ids: the start's Unix seconds
};

// Field → problem id ("required", "too_long", "slot_required", ...), as FieldErrors.
using AssistanceProblems = std::map<std::string, std::string>;

struct AssistanceReceived {};
struct AssistanceRejected { AssistanceProblems problems; };
struct AssistanceThrottled {};  // too many requests from this client address
using AssistanceOutcome = std::variant<AssistanceReceived, AssistanceRejected, AssistanceThrottled>;

struct AssistanceSettings {
  OpeningHours hours;
  RateLimit per_client{5, std::chrono::hours(1)};
  std::string phone_default_country = "+33";
  std::size_t max_message = 2000;  // characters (code points)
  std::size_t max_slots = 3;
};

// Assistance requests: the public form (submit) and support staff's handling
// (queue, take, schedule, close). Never tells the requester whether what they
// typed names an account: the answer and its timing do not depend on it, and
// the matched account is shown to staff only. Callers check that `agent` is
// support staff (web/ does, with the console gate).
class AssistanceService {
public:
  AssistanceService(AccountStore& accounts, AssistanceStore& requests, RateLimiter& limiter,
                    const MessageComposer& composer, AuditLog& audit, const Clock& clock,
                    std::function<void()> wake_outbox, AssistanceSettings settings);

  // The slots the form offers now.
  std::vector<TimePoint> offered_slots() const;

  // The form's problems without acting (empty when valid): the page shows
  // them together with a failed robot check, which must not reach submit().
  AssistanceProblems problems(const AssistanceForm& form) const;
  // Validates, counts the client's requests, stores the request and queues
  // the acknowledgement. Callers run the robot check first.
  Result<AssistanceOutcome> submit(const AssistanceForm& form, std::string_view lang, const ClientInfo& client);

  Result<std::vector<AssistanceRequest>> queue(std::optional<AssistanceStatus> status, int limit = 200);
  Result<AssistanceRequest> find(std::int64_t id);
  // One account's requests, newest first (the support console's account page).
  Result<std::vector<AssistanceRequest>> for_account(AccountId account, int limit = 50);

  // FlowStateInvalid when another agent holds it or it is no longer new.
  Result<void> take(std::int64_t id, AccountId agent, const ClientInfo& client);
  // `at` must be an offered slot; InvalidInput "slot_unavailable" otherwise.
  // Mails the time to the member when the request has an answer address.
  Result<void> schedule(std::int64_t id, AccountId agent, TimePoint at, const ClientInfo& client);
  // `note` is required (InvalidInput "required" / "too_long").
  Result<void> close(std::int64_t id, AccountId agent, std::string_view note, const ClientInfo& client);

private:
  struct Checked {
    AssistanceProblems problems;
    std::string target, name, message;
    std::optional<std::string> phone;
    std::vector<TimePoint> slots;
  };
  Checked check(const AssistanceForm& form) const;
  // The account that `target` names, and where to answer; nullopt account
  // when it names none or several.
  Result<std::pair<std::optional<Account>, std::optional<std::string>>> resolve(std::string_view target);

  AccountStore& accounts_;
  AssistanceStore& requests_;
  RateLimiter& limiter_;
  const MessageComposer& composer_;
  AuditLog& audit_;
  const Clock& clock_;
  std::function<void()> wake_outbox_;
  AssistanceSettings settings_;
};

}  // namespace portier
