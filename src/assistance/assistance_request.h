#pragma once
// An assistance request: a visitor's message and preferred callback times,
// then staff's handling (new → in progress once taken → scheduled → done).
// Plain data, no I/O.
#include <optional>
#include <string>
#include <vector>

#include "account/account.h"
#include "common/clock.h"

namespace portier {

enum class AssistanceStatus { New, InProgress, Scheduled, Done };

const char* to_string(AssistanceStatus s);
std::optional<AssistanceStatus> parse_assistance_status(std::string_view s);

struct AssistanceRequest {
  std::int64_t id = 0;
  std::string reference;                // "A-7K3Q": what the member quotes; empty for old requests
  TimePoint created_at{};
  AssistanceStatus status = AssistanceStatus::New;
  std::string target_text;              // identifier or address as typed
  std::optional<AccountId> account;     // exactly one account matched; staff only, never shown to the requester
  std::string name;
  std::optional<std::string> phone;     // E.164
  std::optional<std::string> email;     // where to answer
  std::string message;
  // The first offered slot of each part of a day chosen (day_parts.h); the
  // part is read back from the local time.
  std::vector<TimePoint> preferred_slots;
  std::optional<AccountId> assigned_to;    // the staff account that took it
  std::optional<TimePoint> scheduled_at;
  std::optional<TimePoint> closed_at;
  std::string note;
  std::string lang = "fr";
};

}  // namespace portier
