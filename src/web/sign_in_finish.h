#pragma once
// One way to finish a sign-in. Every path that signs a member in (password
// alone, the second step, the forced change of a temporary password; later
// the card and federation) ends here: this browser's old session ends, the
// new session cookie is set, and the member continues to where they were
// going: an application's authorization request in progress
// (web/oidc_authorize_pages.cpp), else `fallback` (Mon espace). How the
// member authenticated and when is already in the session (auth_methods,
// created_at: oidc/authentication_context.h turns them into amr/acr).
#include <string>
#include <string_view>

#include "flow/sign_in/sign_in_flow.h"
#include "web/exchange.h"

namespace portier::web {

// The cookie holding an authorization request kept while the member signs
// in (Lax: the request arrives by a top-level navigation from the
// application; the cookie holds only a random token).
inline constexpr const char* kAuthorizationCookie = "portier_authz";
// The smart card waiting to be linked while its holder signs in
// (web/card_pages.cpp; Lax, like the authorization request's).
inline constexpr const char* kCardLinkCookie = "portier_card_link";
// A federated sign-in in progress (web/federation_pages.cpp): the random
// token of the flow that keeps the request sent to the provider (Lax: the
// answer comes back by a top-level navigation from the provider).
inline constexpr const char* kFederationLoginCookie = "portier_fed_login";
// An identity from a provider waiting to be linked while the member signs in (Lax).
inline constexpr const char* kFederationLinkCookie = "portier_fed_link";

// The operator's policy (security.strong_sign_in_roles) is applied here: a
// password sign-in of a member held to the card or Pro Santé Connect opens
// no session (the page offering them instead), unless this browser has a
// card or PSC identity waiting to be linked: then the session can only
// confirm that link (session/strong_sign_in_policy.h).
http::Response finish_sign_in(Exchange& ex, const SignedIn& done, bool remember, std::string_view fallback = "/mon-espace");

// Whether this browser has a card or a federated identity waiting to be
// linked (their pending-link cookies).
bool link_waiting(Exchange& ex);
// On a link confirmation page: whether the session is the link-only one of a
// member held to the card (security.strong_sign_in_roles). After the link,
// such a member goes to kLinkedNowSignIn, not on to where they were going.
bool link_only_session(Exchange& ex);
inline constexpr const char* kLinkedNowSignIn = "/connexion/carte-ou-psc?raison=liee";

// Whether the authorization request in progress in this browser, if any,
// asks for two factors (acr_values): the password sign-in then insists on
// the second step.
bool pending_request_wants_second_step(Exchange& ex);

// Where a signed-in member goes next: the confirmation of a smart card or
// of a federated identity waiting to be linked, else the authorization request in progress, if this
// browser has one, else `fallback`.
std::string continue_location(Exchange& ex, std::string_view fallback);

}  // namespace portier::web
