#pragma once
// The registration form of the console's applications, shared by the add
// page and the edit page (web/console_client_pages.cpp): how a posted form
// becomes an oidc::Client, how a Client fills the form's template values
// (templates/pages/_client_form_fields.mustache and the edit page's
// options), and how the problems found by oidc/client_rules.h land under
// their fields and in the error summary. Both pages check with the same
// rules (oidc::check_client) and show the same messages.
#include <boost/json/object.hpp>
#include <vector>

#include "oidc/client.h"
#include "oidc/client_rules.h"
#include "web/exchange.h"
#include "web/form.h"

namespace portier::web {

// Adding shows the common fields (name, URIs, back-channel URI) with
// "public" and "trusted". Editing shows the common fields and the options
// `portier client update` changes (trusted, PKCE, grant types, scopes,
// ID-token claims and algorithm, access-token format and audience), but not
// the kind (public or confidential, authentication method, JWK Set): a
// change of kind makes or drops a secret and may need a key file, which
// stays on the command line.
enum class ClientFormKind { Add, Edit };

// Reads the posted fields of `kind` into `c`, over its current values (the
// stored registration for an edit, defaults for an add). Lines of the URI
// boxes and the ends of one-line fields are trimmed; nothing is checked here.
void read_client_form(const Form& form, ClientFormKind kind, oidc::Client& c);

// The form's template values: the fields from `c` (the stored registration,
// or what was posted as read by read_client_form) and, when `problems` is
// not empty, each problem under its field (messages of one field joined)
// with one entry per field in the error summary, in the order of the page.
// Problems on options the form does not show are listed in the summary,
// pointing at the name field.
boost::json::object client_form(Exchange& ex, ClientFormKind kind, const oidc::Client& c,
                                const std::vector<oidc::ClientProblem>& problems = {});

// One line per non-empty line of `text` (a textarea), trimmed.
std::vector<std::string> lines_of(const std::string& text);
// The lines back into a textarea's text.
std::string text_of(const std::vector<std::string>& lines);

}  // namespace portier::web
