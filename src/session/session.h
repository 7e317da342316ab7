#pragma once
#include <optional>
#include <string>

#include "account/account.h"
#include "common/clock.h"

namespace portier {

// A server-side session. The browser holds the random token; the store only
// ever sees its keyed hash (`id_hash`).
struct Session {
  std::string id_hash;
  // The session's public name, stable for its whole life (a renewed token
  // keeps it): the `sid` of ID and logout tokens. Random, not derived from
  // the token. Sessions from before it existed carry a prefix of their hash.
  std::string sid;
  AccountId account_id = 0;
  TimePoint created_at{};
  TimePoint last_seen_at{};
  TimePoint expires_at{};  // absolute limit, fixed at creation
  std::string ip;
  std::string user_agent;
  // What the sign-in proved: "pwd", or "pwd+" and the second step's method
  // ("email", "sms", "app", "recovery_code"). The support console asks "pwd+app".
  std::string auth_methods = "pwd";
  // When the person at the keyboard last typed the account's password again
  // in the support console (security.console_confirmation_period).
  std::optional<TimePoint> confirmed_at;
};

// What is left to say about a session once it has ended: whose it was and
// its public name, for the applications it signed into (back-channel logout).
struct EndedSession {
  std::string sid;
  AccountId account_id = 0;
};

}  // namespace portier
