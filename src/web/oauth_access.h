#pragma once
// The two gates of the OAuth endpoints (web/route.h Access::OAuthClient and
// Access::Bearer), kept out of the router like the console's gate
// (console_access.h): each reads what the request presents, asks the token
// side (oidc/client_authentication.h, oidc/token_service.h) and either
// leaves the client or the token in the Exchange or answers the refusal.
#include <optional>

#include "web/exchange.h"

namespace portier::web {

// nullopt: Exchange::oauth_client() is set. Otherwise the answer: 404 while
// the provider is off, 401 invalid_client (audited as oidc.token_refused).
std::optional<http::Response> oauth_client_gate(Exchange& ex);
// nullopt: Exchange::bearer() is set. Otherwise 404 while the provider is
// off, 400 invalid_request for a token sent two ways, 401 invalid_token.
std::optional<http::Response> bearer_gate(Exchange& ex);

// The POSTed form, or an empty one when the request had no body (the
// router lets Csrf::None routes through without one).
const Form& form_or_empty(Exchange& ex);

// The issuer as tokens carry it: server.public_url without a trailing slash.
std::string oidc_issuer(const Config& config);

}  // namespace portier::web
