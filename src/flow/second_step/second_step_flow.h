#pragma once
// The second step of sign-in, after a correct password: a one-time code sent
// by email or SMS (the seed's "code éphémère"), or the code of an
// authenticator app, or one of its recovery codes. The flow record (kind
// sign_in, state "second_step") belongs to the browser that gave the
// password; it holds the hash of the code sent, where it went and until when.
#include <optional>
#include <string>
#include <variant>

#include "account/account.h"
#include "common/clock.h"

namespace portier {

enum class SecondStepMethod { Email, Sms, App, RecoveryCode };
const char* to_string(SecondStepMethod m);
std::optional<SecondStepMethod> parse_second_step_method(std::string_view s);

struct SecondStepStarted {
  std::string flow_token;
  TimePoint expires_at;
};

// What the page shows.
struct SecondStepView {
  std::string identifier;
  std::string masked_email;
  std::optional<std::string> masked_phone;  // only with a verified number
  bool has_app = false;
  // Codes by email or SMS may be asked for: always without an app; with one
  // only when the operator allows the fallback (the strongest factor rules).
  bool codes_allowed = true;
  SecondStepMethod preselected = SecondStepMethod::Email;
  std::optional<SecondStepMethod> sent_via;  // a code was sent (email or SMS)
  std::string sent_to;                       // masked
  TimePoint code_expires_at{};
  TimePoint resend_at{};
  // Per channel (the cooldown never holds between channels); epoch: never sent.
  TimePoint resend_at_email{};
  TimePoint resend_at_sms{};
  int attempts_left = 0;
};

struct CodeSent {
  SecondStepMethod via;
  std::string to;  // masked
  TimePoint expires_at;
};
struct SendTooSoon {
  TimePoint resend_at;
};
struct SendCapReached {
  bool sms_budget = false;  // the SMS budget (throttle/sms_budget.h), not the hourly cap: email still works
};
// The account has an authenticator app and the operator allows no fallback:
// a code by email or SMS would let the mailbox (or the phone line) pass the app.
struct SendNotAllowed {};
using SendOutcome = std::variant<CodeSent, SendTooSoon, SendCapReached, SendNotAllowed>;

struct SecondStepPassed {
  AccountId account = 0;
  std::string first_factor = "pwd";  // what came before: "pwd" or "card"
};
struct SecondStepRejected {
  int attempts_left = 0;  // 0: this sign-in must start again
  bool suspended = false; // too many wrong codes on the account: the second step waits
  bool locked = false;    // the ceiling: locked until a password reset or assistance
  // Wrong codes the account still tolerates before its second step is
  // suspended (1: the next one suspends it; -1: unknown), and for how long.
  int account_failures_left = -1;
  std::chrono::seconds next_suspension{0};
  std::optional<TimePoint> suspended_until;  // when suspended (not locked)
};
using SecondStepCheck = std::variant<SecondStepPassed, SecondStepRejected>;

}  // namespace portier
