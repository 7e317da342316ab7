#pragma once
// A value bound to a statement placeholder, the same for every backend.
// Times are stored as Unix seconds (BIGINT) and booleans as 0/1 integers in
// both dialects, so a store binds the same values whatever the backend.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/clock.h"

namespace portier::storage::sql {

using Param = std::variant<std::monostate, std::int64_t, std::string>;

inline Param param(std::nullopt_t) { return std::monostate{}; }
inline Param param(std::int64_t v) { return v; }
inline Param param(int v) { return static_cast<std::int64_t>(v); }
inline Param param(long long v) { return static_cast<std::int64_t>(v); }
inline Param param(unsigned v) { return static_cast<std::int64_t>(v); }
inline Param param(bool v) { return static_cast<std::int64_t>(v ? 1 : 0); }
inline Param param(std::string_view v) { return std::string(v); }
inline Param param(const char* v) { return std::string(v); }
inline Param param(const std::string& v) { return v; }
inline Param param(TimePoint at) { return to_unix(at); }
template <typename T>
Param param(const std::optional<T>& v) {
  return v ? param(*v) : Param(std::monostate{});
}

}  // namespace portier::storage::sql
