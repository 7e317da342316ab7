#pragma once
// Account creation from Pro Santé Connect's claims, when the provider's
// create_accounts allows it (docs/federation.md):
//   offer_account()              the sign-in's answer for a person known to no
//                                account: keeps the proposal, 303 to the page;
//   /nouveau-compte   GET: what will be created; POST: confirm
//                                (creates, signs in, finish_sign_in) or cancel.
#include <vector>

#include "federation/relying_party.h"
#include "web/route.h"

namespace portier::web {

// The cookie holding the proposal's random token (Lax: it is set on the
// answer of a top-level navigation coming back from the provider).
inline constexpr const char* kFederationAccountCookie = "portier_fed_account";

// Whether provider `provider` lets a person known to no account create one.
bool offers_account_creation(Exchange& ex, std::string_view provider);
// For the sign-in's "unknown_person" branch when offers_account_creation().
http::Response offer_account(Exchange& ex, const federation::FederatedIdentity& identity);

std::vector<Route> federation_account_routes();

}  // namespace portier::web
