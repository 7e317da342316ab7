#pragma once
// The sign-in flow: identifier + password, then whatever further step the
// account needs. A flow record is persisted only when sign-in needs more than
// one step; later steps (second factor, lockout notices) add states here.
#include <chrono>
#include <string>
#include <variant>

#include "account/account.h"
#include "session/session_service.h"
#include "flow/second_step/second_step_flow.h"
#include "throttle/sign_in_guard.h"

namespace portier {

enum class SignInState {
  PasswordChangeRequired,  // temporary password accepted; a new one must be chosen first
  Completed,               // the member is signed in; the flow cannot be replayed
};

const char* to_string(SignInState s);

struct SignedIn {
  Account account;
  IssuedSession session;
  std::string device_cookie;  // the browser's device cookie after this sign-in (empty: unchanged)
};
struct PasswordChangeRequired {
  std::string flow_token;  // goes into a short-lived cookie
  TimePoint expires_at;
  std::string identifier;  // of the account: the browser may remember it
};
enum class RejectReason {
  InvalidCredentials,        // unknown identifier or wrong password: one answer for both
  AccountDisabled,           // only said after a correct password
  TemporaryPasswordExpired,  // only said after a correct password
};
struct Rejected {
  RejectReason reason;
  // InvalidCredentials: failures still tolerated before a suspension (known
  // and unknown identifiers alike: the counters are keyed by what was typed).
  // 0 or less: none; -1: unknown. 1: the next failure suspends (the page warns).
  int failures_left = -1;
};
// The password was right; a second step (code or app) comes before any session.
struct SecondStepRequired {
  std::string flow_token;  // goes into the flow cookie
  TimePoint expires_at;
  std::string identifier;  // of the account: the browser may remember it
};

// Refused before any hash (flow/sign_in/sign_in_gate.h): the address is in
// back-off, or the account or address had its share of successes. Answered
// 429 with Retry-After.
struct SignInThrottled {
  std::chrono::seconds retry_after;
};

// Too many failures: sign-in is suspended (for unknown browsers, or for this
// browser) until a time, or locked until a reset. Said alike for unknown identifiers.
using SignInOutcome =
    std::variant<SignedIn, PasswordChangeRequired, Rejected, Suspension, SecondStepRequired, SignInThrottled>;
// After the second step: signed in, or on to the forced change of a temporary
// password, or the code was refused.
using SecondStepOutcome = std::variant<SignedIn, PasswordChangeRequired, SecondStepRejected>;

// A new password refused: `problem` is a password-policy id or "same_as_temporary".
struct NewPasswordRejected {
  std::string problem;
};
using NewPasswordOutcome = std::variant<SignedIn, NewPasswordRejected>;

}  // namespace portier
