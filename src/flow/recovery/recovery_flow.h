#pragma once
// Forgot password: the member names their account (identifier or email
// address) and receives one message with a link and a long code. The flow
// record belongs to the browser that asked: it holds the deadline shown on
// the page, the resend cooldown and the count of wrong codes. The flow looks
// the same whether or not the target matched an account.
#include <string>
#include <variant>
#include <vector>

#include "account/account.h"
#include "common/clock.h"

namespace portier {

enum class RecoveryState {
  CodeSent,   // the page says "a message was sent" and takes the code
  Locked,     // too many wrong codes: a new request is needed
};
const char* to_string(RecoveryState s);

// How the member proves they read the message.
enum class RecoverySecret { Link, Code };

struct RecoveryStarted {
  std::string flow_token;  // goes into a cookie
  TimePoint expires_at;
};
struct RecoveryThrottled {};  // too many requests from this client address
using RecoveryRequestOutcome = std::variant<RecoveryStarted, RecoveryThrottled>;

// What the "message sent" page shows.
struct RecoveryStatus {
  TimePoint expires_at;
  TimePoint resend_at;  // the "send again" button works from then on
  int attempts_left = 0;
  bool locked = false;
};

struct Resent {
  TimePoint expires_at;
};
struct ResendTooSoon {
  TimePoint resend_at;
};
using ResendOutcome = std::variant<Resent, ResendTooSoon, RecoveryThrottled>;

struct CodeAccepted {
  std::string code;  // normalised; carried by the new-password form
  std::string identifier;
};
struct CodeRejected {
  int attempts_left = 0;  // 0: the flow is locked
};
// RecoveryThrottled: too many codes typed from this client address.
using CodeOutcome = std::variant<CodeAccepted, CodeRejected, RecoveryThrottled>;

// A link or code that still works, for the new-password page.
struct ResetTarget {
  std::string identifier;
  TimePoint expires_at;
};

struct PasswordReset {
  AccountId account = 0;
};
struct ResetPasswordRejected {
  std::string problem;  // a password-policy id ("too_short", "mismatch", ...)
};
using ResetOutcome = std::variant<PasswordReset, ResetPasswordRejected, RecoveryThrottled>;

}  // namespace portier
