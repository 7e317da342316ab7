#pragma once
// The [assistance] section: the support team's opening hours, from which the
// assistance form offers callback slots, and the form's rate limit. Times are
// wall-clock times of the display zone (portal.time_zone), not the server's
// TZ. Plain data, no I/O.
#include <chrono>
#include <string>
#include <vector>

#include "assistance/callback_slots.h"

namespace portier {

struct AssistanceConfig {
  std::vector<std::string> days{"mon", "tue", "wed", "thu", "fri"};
  std::string opening = "09:00";
  std::string closing = "18:00";
  int slot_minutes = 30;
  int days_ahead = 10;          // opening days offered on the form
  int per_client_limit = 5;     // requests one client address can send ...
  std::chrono::seconds limit_window{3600};  // ... per window
  // Where each new request is announced (a link to the console, no text
  // typed by the requester); empty: portal.assistance_email.
  std::string team_email;
};

// Appends one line per problem of `assistance` to `problems`.
void validate_assistance_config(const AssistanceConfig& assistance, std::vector<std::string>& problems);
// The validated section as the slot generator takes it.
OpeningHours opening_hours(const AssistanceConfig& assistance);

}  // namespace portier
