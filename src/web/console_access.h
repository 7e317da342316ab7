#pragma once
// The one gate of the support console (/support/...). Every console handler
// calls it first. Never shows a member (or an anonymous visitor) anything
// of the console but a 403 / the sign-in page, whatever the route or method.
#include <optional>

#include "admin/support_service.h"
#include "web/exchange.h"

namespace portier::web {

enum class ConsoleLevel { Staff, AdminOnly };

// The agent when the visitor may use the console at `level`; otherwise the
// response to send instead (store it in `refusal`):
//   - not signed in: to the sign-in page;
//   - a member, or support staff on an AdminOnly route: 403, the generic page;
//   - staff whose session was not opened with an authenticator app code
//     (Session::auth_methods "pwd+app"): 403 and a page saying to set up an
//     app in Mon espace and sign in again with it.
std::optional<Agent> console_agent(Exchange& ex, ConsoleLevel level, std::optional<http::Response>& refusal);

// The rank rule for a console action (route declared Access::StaffOnAccount or
// AdminOnAccount), after console_agent() admitted the agent: loads the
// account named by the form's `id` through SupportService::target() and
// leaves it in Exchange::target(). Otherwise the response to send: 404 for
// no such account, 403 (audited as support.refused) with a sentence saying
// why when the account is the agent's own or ranks at or above the agent.
std::optional<http::Response> console_target(Exchange& ex, std::string_view action);

// A decimal account id from a form or query value; 0 when malformed.
AccountId account_id_of(std::string_view text);

// The SupportService wired by app/ (asserted present on console routes).
SupportService& support(Exchange& ex);

}  // namespace portier::web
