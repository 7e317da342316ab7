#pragma once
// A route declares its policy; the Router enforces it before the handler
// runs, so handlers never repeat guards:
//   - who may call it (Access): the router redirects visitors who are not
//     signed in to the sign-in page and passes staff routes through the one
//     console gate (web/console_access.h), leaving the agent in the Exchange,
//     and console actions on an account through the rank rule, leaving the
//     account in the Exchange;
//   - where it runs (http::Lane): routes that hash a password run apart from
//     page rendering;
//   - every POST carries a well-formed form and this browser's CSRF token,
//     unless the route is called by an application rather than by our own
//     pages (Csrf::None: the OAuth endpoints, which authenticate the caller
//     themselves and set no cookie);
//   - how it fails (Errors): an HTML page for people, or an OAuth JSON error
//     body (RFC 6749 5.2) for applications;
//   - whether other origins may read it (Cors::Any: the JSON endpoints a
//     browser application calls; no cookie is ever honoured there).
#include <string>
#include <vector>

#include "http/request.h"
#include "web/pages.h"

namespace portier::web {

enum class Access {
  Anyone,  // public pages and forms
  Member,  // a signed-in account (any role): Mon espace
  Staff,   // the support console: role support or admin, session opened with an authenticator app
  Admin,   // the same, administrators only
  // A console action on the account named by the form's `id`: Staff (or
  // Admin), then the rank rule (admin/staff_rank.h, through
  // SupportService::target): 403 and an audited support.refused unless the
  // account ranks below the agent. The handler finds it in Exchange::target().
  StaffOnAccount,
  AdminOnAccount,
  // An OAuth client authenticating itself (token, introspection,
  // revocation): the router runs the client authentication of
  // oidc/client_authentication.h on the request and leaves the client in
  // Exchange::oauth_client(); otherwise 401 invalid_client. 404 while the
  // provider is off.
  OAuthClient,
  // An access token (UserInfo): from `Authorization: Bearer`, or the form's
  // `access_token` on POST (RFC 6750 2.2); the router validates it and leaves
  // it in Exchange::bearer(); otherwise 401 with WWW-Authenticate: Bearer
  // error="invalid_token". 404 while the provider is off.
  Bearer,
};

enum class Csrf {
  Required,  // our own forms: same-origin POST with this browser's token
  None,      // called by applications (token, introspection, back-channel…)
};

enum class Errors {
  Html,       // the error page, in the visitor's language
  OAuthJson,  // {"error": "...", "error_description": "..."}, no-store
};

enum class Cors {
  None,
  Any,  // Access-Control-Allow-Origin: *, preflight answered; no credentials
};

struct Route {
  std::string method;
  std::string path;
  Handler handler;
  Access access = Access::Anyone;
  http::Lane lane = http::Lane::Pages;
  Csrf csrf = Csrf::Required;
  Errors errors = Errors::Html;
  Cors cors = Cors::None;
};

// Appends a feature's routes to the table (features register their own;
// see Router's constructor).
inline void append(std::vector<Route>& table, std::vector<Route> more) {
  for (auto& r : more) table.push_back(std::move(r));
}

}  // namespace portier::web
