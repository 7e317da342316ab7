#include "account/account.h"

namespace portier {

const char* to_string(AccountStatus s) {
  switch (s) {
    case AccountStatus::Pending: return "pending";
    case AccountStatus::Active: return "active";
    case AccountStatus::Disabled: return "disabled";
  }
  return "?";
}
const char* to_string(Role r) {
  switch (r) {
    case Role::Member: return "member";
    case Role::Support: return "support";
    case Role::Admin: return "admin";
  }
  return "?";
}
const char* to_string(CodeChannel c) { return c == CodeChannel::Sms ? "sms" : "email"; }

std::optional<AccountStatus> parse_status(std::string_view s) {
  if (s == "pending") return AccountStatus::Pending;
  if (s == "active") return AccountStatus::Active;
  if (s == "disabled") return AccountStatus::Disabled;
  return std::nullopt;
}
std::optional<Role> parse_role(std::string_view s) {
  if (s == "member") return Role::Member;
  if (s == "support") return Role::Support;
  if (s == "admin") return Role::Admin;
  return std::nullopt;
}
std::optional<CodeChannel> parse_channel(std::string_view s) {
  if (s == "email") return CodeChannel::Email;
  if (s == "sms") return CodeChannel::Sms;
  return std::nullopt;
}

}  // namespace portier
