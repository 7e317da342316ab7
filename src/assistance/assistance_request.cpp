#include "assistance/assistance_request.h"

namespace portier {

const char* to_string(AssistanceStatus s) {
  switch (s) {
    case AssistanceStatus::New: return "new";
    case AssistanceStatus::InProgress: return "in_progress";
    case AssistanceStatus::Scheduled: return "scheduled";
    case AssistanceStatus::Done: return "done";
  }
  return "new";
}

std::optional<AssistanceStatus> parse_assistance_status(std::string_view s) {
  if (s == "new") return AssistanceStatus::New;
  if (s == "in_progress") return AssistanceStatus::InProgress;
  if (s == "scheduled") return AssistanceStatus::Scheduled;
  if (s == "done") return AssistanceStatus::Done;
  return std::nullopt;
}

}  // namespace portier
