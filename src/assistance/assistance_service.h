#pragma once
#include <functional>
#include <map>
#include <variant>

#include "account/account_store.h"
#include "assistance/assistance_store.h"
#include "assistance/callback_slots.h"
#include "assistance/day_parts.h"
#include "audit/audit_log.h"
#include "common/client_info.h"
#include "common/random.h"
#include "notify/message_composer.h"
#include "throttle/rate_limiter.h"

namespace portier {

// What the public form sends, as typed.
struct AssistanceForm {
  std::string target;  // identifier or email address
  std::string name;
  std::string phone;
  std::string message;
  // Parts of days chosen (day_parts.h): each the Unix seconds of the part's
  // first offered slot, as the form's values carry it.
  std::vector<std::string> slots;
};

// Field → problem id ("required", "too_long", "slot_required", ...), as FieldErrors.
using AssistanceProblems = std::map<std::string, std::string>;

struct AssistanceReceived {
  std::string reference;  // "A-7K3Q", shown on the recap page
};
struct AssistanceRejected { AssistanceProblems problems; };
struct AssistanceThrottled {};  // too many requests from this client address
using AssistanceOutcome = std::variant<AssistanceReceived, AssistanceRejected, AssistanceThrottled>;

struct AssistanceSettings {
  OpeningHours hours;
  RateLimit per_client{5, std::chrono::hours(1)};
  std::string phone_default_country = "+33";
  std::size_t max_message = 2000;  // characters (code points)
  std::size_t max_slots = 3;  // parts of days a member may choose
  // Reply-To of every mail to the requester (portal.assistance_email): an
  // answer reaches the team rather than the no-reply sender. Empty: none.
  std::string reply_to;
  // Where each new request is announced (assistance.team_email, or
  // portal.assistance_email); empty: no announcement.
  std::string team_email;
  std::string team_lang = "fr";
  std::string public_url = "http://localhost:8080";  // the team's mail links to the console
};

// Assistance requests: the public form (submit) and support staff's handling
// (queue, take, schedule, close). Never tells the requester whether what they
// typed names an account: the answer and its timing do not depend on it, and
// the matched account is shown to staff only. Callers check that `agent` is
// support staff (web/ does, with the console gate).
class AssistanceService {
public:
  AssistanceService(AccountStore& accounts, AssistanceStore& requests, RateLimiter& limiter,
                    const MessageComposer& composer, AuditLog& audit, const Clock& clock, Random& random,
                    std::function<void()> wake_outbox, AssistanceSettings settings);

  // The slots open now (staff book one of them).
  std::vector<TimePoint> offered_slots() const;
  // The parts of days the form offers now (a day, then morning or afternoon).
  std::vector<PartChoice> offered_parts() const;
  const OpeningHours& hours() const { return settings_.hours; }

  // The form's problems without acting (empty when valid): the page shows
  // them together with a failed robot check, which must not reach submit().
  AssistanceProblems problems(const AssistanceForm& form) const;
  // Validates, counts the client's requests, stores the request and queues
  // the acknowledgement. Callers run the robot check first. `visitor` is the
  // signed-in member, if any: when what she typed names her own account, the
  // answers go to her account's address (she proved it is hers by signing in).
  Result<AssistanceOutcome> submit(const AssistanceForm& form, std::string_view lang, const ClientInfo& client,
                                   const std::optional<Account>& visitor = std::nullopt);

  Result<std::vector<AssistanceRequest>> queue(std::optional<AssistanceStatus> status, int limit = 200);
  Result<AssistanceRequest> find(std::int64_t id);
  // New requests nobody has taken yet (the console menu's count).
  Result<int> count_new();
  // One account's requests, newest first (the support console's account page).
  Result<std::vector<AssistanceRequest>> for_account(AccountId account, int limit = 50);

  // Moves it to in progress, held by `agent`. FlowStateInvalid when another
  // agent holds it or it is no longer new.
  Result<void> take(std::int64_t id, AccountId agent, const ClientInfo& client);
  // `at` must be an offered slot; InvalidInput "slot_unavailable" otherwise.
  // Mails the time to the member when the request has an answer address
  // (saying it is a new time when it was already scheduled).
  Result<void> schedule(std::int64_t id, AccountId agent, TimePoint at, const ClientInfo& client);
  // `note` is required (InvalidInput "required" / "too_long"); it stays with
  // staff: the member, when there is an answer address, is told that the
  // request is closed, never what the agent wrote.
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
  Result<std::pair<std::optional<Account>, std::optional<std::string>>> resolve(std::string_view target,
                                                                                  const std::optional<Account>& visitor);

  AccountStore& accounts_;
  AssistanceStore& requests_;
  RateLimiter& limiter_;
  const MessageComposer& composer_;
  AuditLog& audit_;
  const Clock& clock_;
  Random& random_;
  std::function<void()> wake_outbox_;
  AssistanceSettings settings_;
};

}  // namespace portier
