#pragma once
// The identifier the sign-in form is pre-filled with. Two cookies, neither
// of which grants anything, and never the URL (access logs, Referer):
//   - remembered: the member ticked "Se souvenir de mon identifiant"; long
//     lived (a year), HttpOnly, SameSite=Lax, Secure and __Host- over HTTPS;
//     unticking the box or "Ce n’est pas moi" forgets it;
//   - handed over: a few minutes, SameSite=Strict, set right after an
//     activation, a password reset or a sign-out, so that the next sign-in
//     page shows who just acted.
// Only normalised identifiers are written or read back (their characters
// are cookie-safe); anything else in the cookies is ignored.
#include <optional>
#include <string>

#include "web/exchange.h"

namespace portier::web {

inline constexpr const char* kRememberedIdentifierCookie = "portier_identifiant";
inline constexpr const char* kHandedIdentifierCookie = "portier_identifiant_recent";

void remember_identifier(Exchange& ex, const std::string& identifier);
// Forgets both the remembered and the handed-over identifier.
void forget_identifier(Exchange& ex);
void hand_over_identifier(Exchange& ex, const std::string& identifier);

struct IdentifierPrefill {
  std::string identifier;
  bool remembered = false;  // from the long-lived cookie: the box shows ticked
};
// The remembered identifier first, then the handed-over one; none: empty.
IdentifierPrefill identifier_prefill(Exchange& ex);

}  // namespace portier::web
