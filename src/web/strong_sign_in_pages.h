#pragma once
// Signing in at the health-professional card level (urn:portier:acr:cps):
// the CPS card read by portier, or Pro Santé Connect. An application asking
// for it (minimum_acr, acr_values) and the operator's policy
// (security.strong_sign_in_roles) send the member here:
//   /connexion/carte-ou-psc   the ways configured, French first; with exactly
//                             one way, straight to it.
#include <string>
#include <vector>

#include "web/route.h"

namespace portier::web {

// Why the member is asked for the card or PSC (the page's words).
enum class StrongReason {
  Application,  // an application demands it (the authorization request in progress)
  Role,         // the operator's policy refused a password sign-in
  Linked,       // a card or identity was just linked: now sign in with it
};

// Where the member signs in strongly: the one way configured, or the page
// offering them. Empty when none is configured.
std::string strong_sign_in_location(Exchange& ex, StrongReason why);
// The page itself, for finish_sign_in's refusal (status 403).
http::Response strong_sign_in_page(Exchange& ex, StrongReason why, int status = 200);

std::vector<Route> strong_sign_in_routes();

}  // namespace portier::web
