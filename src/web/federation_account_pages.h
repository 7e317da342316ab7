#pragma once
// Account creation from Pro Santé Connect's claims, when the provider's
// create_accounts allows it (docs/federation.md):
//   account_offered()            the sign-in's answer (/federation/<id>/retour)
//                                for a person known to no account: the offer's
//                                cookie, 303 to the page;
//   /nouveau-compte   GET: what will be created; POST: confirm
//                                (creates, signs in, finish_sign_in) or cancel.
#include <vector>

#include "web/route.h"

namespace portier::web {

// The cookie holding the proposal's random token (Lax: it is set on the
// answer of a top-level navigation coming back from the provider).
inline constexpr const char* kFederationAccountCookie = "portier_fed_account";

// The sign-in made an offer (FederationAccountOffered): keep its token in the
// cookie and show it.
http::Response account_offered(Exchange& ex, const std::string& offer_token);

std::vector<Route> federation_account_routes();

}  // namespace portier::web
