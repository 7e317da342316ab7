#include "oidc/signing_key_store.h"

namespace portier::oidc {

std::string_view to_string(KeyState state) {
  switch (state) {
    case KeyState::Next: return "next";
    case KeyState::Active: return "active";
    case KeyState::Retired: return "retired";
  }
  return "?";
}

std::optional<KeyState> parse_key_state(std::string_view text) {
  for (auto s : {KeyState::Next, KeyState::Active, KeyState::Retired})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

}  // namespace portier::oidc
