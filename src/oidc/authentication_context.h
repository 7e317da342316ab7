#pragma once
// How a member signed in, told to applications honestly: the `amr` values
// (RFC 8176) and the `acr` level of ID tokens, from what the session's
// sign-in proved (Session::auth_methods: "pwd", or "pwd+" and the second
// step's method; "card" for the smart card and its PIN, "card+" and a second
// step's method when card.second_step asks one; "psc" for Pro Santé Connect,
// where the member used the CPS card or the e-CPS app; "fed-mfa" for a
// federated provider declared multi-factor, "fed" or "fed+" and a second
// step's method for another federated provider: docs/federation.md).
// docs/oidc.md lists the values.
#include <string>
#include <string_view>
#include <vector>

namespace portier::oidc {

// One factor: the password alone (or a federated provider not known to be multi-factor).
inline constexpr const char* kAcrPassword = "urn:portier:acr:pwd";
// Two factors: the password and a code (email, SMS, app or recovery code).
inline constexpr const char* kAcrMultiFactor = "urn:portier:acr:mfa";
// The State's means for health professionals: the CPS card and its PIN
// (read by portier itself), or the CPS card or e-CPS app through Pro Santé
// Connect. What the ANS référentiel d'identification électronique requires
// since 2026; above two factors of portier's own (docs/oidc.md).
inline constexpr const char* kAcrHealthCard = "urn:portier:acr:cps";

struct AuthenticationContext {
  std::vector<std::string> amr;
  std::string acr;
};

AuthenticationContext authentication_context(std::string_view auth_methods);

// The acr values portier can satisfy, weakest first (discovery's
// acr_values_supported).
const std::vector<std::string>& supported_acr_values();
// Whether a session at `acr` satisfies a request for `wanted` (a higher
// level satisfies a lower one).
bool acr_satisfies(std::string_view acr, std::string_view wanted);
// Whether an application's `acr_values` can only be met by two factors: it
// names a level portier can reach and none that the password alone meets.
// The sign-in then asks for the second step even when the member's role
// would not (acr_values are voluntary, Core 5.5.1.1: we meet them when we
// can, and the ID token says what was achieved).
bool wants_multi_factor(const std::vector<std::string>& acr_values);

// Whether a sign-in proved the health-professional card (kAcrHealthCard):
// the card, or Pro Santé Connect.
bool is_health_card(std::string_view auth_methods);
// The level `acr_values` ask for, given that any of them will do: the
// weakest of those portier knows; "" when it knows none of them.
std::string wanted_level(const std::vector<std::string>& acr_values);

}  // namespace portier::oidc
