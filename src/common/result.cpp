#include "common/result.h"

namespace portier {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::InvalidInput: return "invalid_input";
    case ErrorCode::FlowStateInvalid: return "flow_state_invalid";
    case ErrorCode::Expired: return "expired";
    case ErrorCode::Unavailable: return "unavailable";
    case ErrorCode::Busy: return "busy";
    case ErrorCode::Internal: return "internal";
  }
  return "unknown";
}

}  // namespace portier
