#include "web/identifier_memory.h"

#include "account/identifiers.h"
#include "web/cookies.h"

namespace portier::web {

namespace {
constexpr std::chrono::seconds kRememberedLifetime{365 * 24 * 3600};
// Long enough to go from the confirmation to the sign-in form, short enough
// that the next person at a shared PC does not inherit it.
constexpr std::chrono::seconds kHandedLifetime{10 * 60};

std::optional<std::string> cookie_identifier(Exchange& ex, const char* name) {
  auto value = ex.cookie(name);
  if (value.empty()) return std::nullopt;
  return normalize_identifier(value);
}
}  // namespace

void remember_identifier(Exchange& ex, const std::string& identifier) {
  auto id = normalize_identifier(identifier);
  if (!id) return;
  ex.add_cookie(set_cookie(kRememberedIdentifierCookie, *id, CookieOptions{ex.secure(), kRememberedLifetime, "Lax"}));
}

void forget_identifier(Exchange& ex) {
  if (!ex.cookie(kRememberedIdentifierCookie).empty())
    ex.add_cookie(clear_cookie(kRememberedIdentifierCookie, ex.secure()));
  if (!ex.cookie(kHandedIdentifierCookie).empty()) ex.add_cookie(clear_cookie(kHandedIdentifierCookie, ex.secure()));
}

void hand_over_identifier(Exchange& ex, const std::string& identifier) {
  auto id = normalize_identifier(identifier);
  if (!id) return;
  ex.add_cookie(set_cookie(kHandedIdentifierCookie, *id, CookieOptions{ex.secure(), kHandedLifetime, "Strict"}));
}

IdentifierPrefill identifier_prefill(Exchange& ex) {
  if (auto id = cookie_identifier(ex, kRememberedIdentifierCookie)) return {*id, true};
  if (auto id = cookie_identifier(ex, kHandedIdentifierCookie)) return {*id, false};
  return {};
}

}  // namespace portier::web
