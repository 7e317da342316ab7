#include "web/console_access.h"

#include <cassert>

#include "oidc/authentication_context.h"

namespace portier::web {

namespace {
// A console session must have proved a code from an authenticator app: a
// mailed or texted code proves only access to a mailbox or a SIM, which a
// phished agent's attacker may also have.
constexpr std::string_view kConsoleAuthMethods = "pwd+app";
}  // namespace

SupportService& support(Exchange& ex) {
  assert(ex.services().support && "app/ wires the support console before serving");
  return *ex.services().support;
}

AccountId account_id_of(std::string_view text) {
  AccountId id = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || id > 1'000'000'000'000) return 0;
    id = id * 10 + (c - '0');
  }
  return id;
}

std::optional<http::Response> console_target(Exchange& ex, std::string_view action) {
  auto id = ex.form() ? account_id_of(ex.form()->get("id")) : 0;
  if (id == 0) return ex.error(404);
  auto outcome = support(ex).target(id, ex.agent(), action);
  if (!outcome) return ex.failure(outcome.error());
  if (auto* refused = std::get_if<TargetRefused>(&*outcome))
    return ex.error(403, std::string("console_refused_") + to_string(refused->why));
  ex.set_target(std::get<ConsoleTarget>(std::move(*outcome)));
  return std::nullopt;
}

std::optional<Agent> console_agent(Exchange& ex, ConsoleLevel level, std::optional<http::Response>& refusal) {
  auto& a = ex.account();
  if (!a) {
    refusal = ex.redirect(ex.request().method == "GET" ? "/connexion" : "/connexion?info=session_expired");
    return std::nullopt;
  }
  if (!SupportService::is_staff(*a) || (level == ConsoleLevel::AdminOnly && a->role != Role::Admin)) {
    refusal = ex.error(403);
    return std::nullopt;
  }
  auto* session = ex.session();
  // The authenticator app after the password, or the card level (the CPS
  // card, Pro Santé Connect): staff held to the card by
  // security.strong_sign_in_roles could never open a "pwd+app" session.
  if (!session || (session->auth_methods != kConsoleAuthMethods && !oidc::is_health_card(session->auth_methods))) {
    boost::json::object d;
    d["title"] = ex.t("console_app_required_title");
    refusal = ex.render("console_app_required", std::move(d), 403);
    return std::nullopt;
  }
  return Agent{*a, ex.client(), ex.lang(), session->id_hash, session->confirmed_at};
}

}  // namespace portier::web
