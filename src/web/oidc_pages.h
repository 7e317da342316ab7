#pragma once
// What the sign-in pages need to know of an application's authorization
// request in progress (web/oidc_authorize_pages.cpp), and the provider's
// routes.
#include <optional>
#include <string>
#include <vector>

#include "web/exchange.h"
#include "web/route.h"

namespace portier::web {

struct PendingView {
  std::string client_name;  // "Connexion à <application>" above the form
  std::string login_hint;   // pre-fills the identifier
  // The application asked for a new sign-in (prompt=login, max_age,
  // acr_values) that has not happened yet: the form shows even to a
  // signed-in member.
  bool needs_sign_in = false;
  // The application's minimum_acr is the card level: the password is no
  // way for it (web/strong_sign_in_pages.h).
  bool requires_card = false;
};

std::optional<PendingView> pending_authorization(Exchange& ex);

std::vector<Route> authorization_routes();

// Mon espace "Applications" (web/application_pages.cpp): the applications
// the member uses, into the page's data, and withdrawing one.
void add_applications(Exchange& ex, const Account& account, boost::json::object& data);
std::vector<Route> application_routes();

}  // namespace portier::web
