#pragma once
// The common shape of a console action on an account, for actions whose
// handlers live beside their feature (card_pages.cpp, federation_pages.cpp)
// rather than in console_pages.cpp: the form's reason and the agent's
// password (the _console_reauth partial) in, and the common tail out (back to
// the account page with a notice, or the page again with the form's problems
// in the error summary, 403, or signed out after too many wrong passwords).
#include <string>

#include "admin/support_service.h"
#include "web/exchange.h"

namespace portier::web {

// The form's "reason" and "agent_password".
AgentConfirmation console_confirmation(Exchange& ex);

// Done -> /support/compte?id=…&info=<notice> (the session renewed); Invalid
// -> the account page with the problems of `form` (its fields prefixed
// "<form>-", the form object "f_<form>"); Refused -> 403.
http::Response console_action_done(Exchange& ex, const Agent& agent, AccountId id, const std::string& form,
                                   const Result<SupportOutcome>& outcome, const char* notice);

}  // namespace portier::web
