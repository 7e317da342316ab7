#pragma once
// What a valid client registration is (issue 12), checked before any
// registration is stored, from the command line or the console. Every
// problem is reported at once, each with the field it concerns (for the
// console's error summary), a stable code (translated by the console as
// `client_problem_<code>`) and an English sentence (the command line).
//
// Redirect and post-logout URIs are compared by exact string at the
// authorization and logout endpoints, so what is checked here is what will
// be matched (at most 20 of each kind): absolute, https (http only on a loopback host, for
// development: config/loopback.h), no fragment, no user info, no wildcard.
#include <string>
#include <string_view>
#include <vector>

#include "oidc/client.h"

namespace portier::oidc {

struct ClientProblem {
  std::string field;    // "name", "redirect_uris", "jwks", …: the Client member concerned
  std::string code;     // "name_length", "redirect_uri_scheme", …
  std::string message;  // English, names the offending value
  std::string value;    // the offending value (a URI, a scope…), empty when none
};

// Scopes a client may be allowed: the standard ones and the network's own
// (`rpps`: the member's RPPS number, `roles`: their roles in the network).
const std::vector<std::string>& known_scopes();
// "authorization_code", "refresh_token", "client_credentials".
const std::vector<std::string>& known_grant_types();
// Claims that may be placed in the ID token (Client::id_token_claims).
const std::vector<std::string>& known_claims();
// "RS256", "ES256", "EdDSA" (never "none").
const std::vector<std::string>& known_id_token_algs();

// Every problem of `client`; empty when it may be stored. Reads the
// registration fields only (not client_id, secret_hash or times).
std::vector<ClientProblem> check_client(const Client& client);

// An absolute http(s) URI that may receive a browser (redirect,
// post-logout) or a back-channel request: the first problem code, empty
// when fine ("uri_syntax", "uri_scheme", "uri_fragment", "uri_userinfo",
// "uri_wildcard").
std::string uri_problem(std::string_view uri);

// The problems as lines "field: message", for the command line.
std::string describe(const std::vector<ClientProblem>& problems);

}  // namespace portier::oidc
