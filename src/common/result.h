#pragma once
// The one result type of the project: expected outcomes that cross a module
// boundary (store, parser, hasher) come back as values, never as exceptions.
#include <string>
#include <tl/expected.hpp>

namespace portier {

enum class ErrorCode {
  NotFound,          // the row, flow or account asked for does not exist
  Conflict,          // a unique value (identifier) is already taken
  InvalidInput,      // a value failed validation; detail says which
  FlowStateInvalid,  // a flow step was asked in a state that does not allow it
  Expired,           // a flow, token or session is past its expiry
  Unavailable,       // the database or another dependency cannot be reached
  Busy,              // a bounded queue is full; the caller should retry later
  Internal,          // a bug or an unexpected failure; detail is logged, never shown
};

struct Error {
  ErrorCode code;
  std::string detail;
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string detail = {}) {
  return tl::unexpected<Error>(Error{code, std::move(detail)});
}

const char* to_string(ErrorCode code);

}  // namespace portier
