#pragma once
// An account of the network: who a member is and how they sign in.
#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"

namespace portier {

using AccountId = std::int64_t;

enum class AccountStatus { Pending, Active, Disabled };
enum class Role { Member, Support, Admin };
enum class CodeChannel { Email, Sms };

struct Account {
  AccountId id = 0;
  std::string identifier;    // stored lower-case; unique, case-insensitive
  std::string email;         // several accounts may share one address
  std::string display_name;
  std::optional<std::string> phone;  // E.164, e.g. +33612345678
  std::optional<TimePoint> phone_verified_at;  // set once a code sent to `phone` came back: SMS codes need it
  CodeChannel code_channel = CodeChannel::Email;
  AccountStatus status = AccountStatus::Pending;
  Role role = Role::Member;
  std::optional<std::string> rpps;   // national health-professional id (11 digits)
  std::string password_hash;         // argon2id PHC string; empty when none is set
  bool password_is_temporary = false;  // set by support or an admin: must be changed at sign-in
  std::optional<TimePoint> password_expires_at;  // temporary passwords only
  TimePoint created_at{};
  std::optional<TimePoint> last_sign_in_at;
};

inline bool has_verified_phone(const Account& a) { return a.phone && a.phone_verified_at; }

const char* to_string(AccountStatus s);
const char* to_string(Role r);
const char* to_string(CodeChannel c);
std::optional<AccountStatus> parse_status(std::string_view s);
std::optional<Role> parse_role(std::string_view s);
std::optional<CodeChannel> parse_channel(std::string_view s);

}  // namespace portier
