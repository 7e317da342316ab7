#pragma once
// The identities at external providers (Pro Santé Connect…) linked to an
// account, where the member and the console see them (docs/federation.md):
//   Mon espace's "Identités de connexion" fold: each link (provider, name,
//     linked on, last used), removed with the member's password
//     (POST /mon-espace/identite/retirer: the confirmation page, then the
//     password); when none is linked, how to link one;
//   the console's account page: the links, and for administrators (rank
//     rule) a removal with a reason and their password
//     (POST /support/compte/identite, SupportService::remove_link).
// Linking itself is the sign-in's (web/federation_pages.cpp).
#include <vector>

#include "web/route.h"

namespace portier::web {

std::vector<Route> federation_link_routes();
// Mon espace: the account's links, or how to link one. Nothing while no
// provider is configured.
void add_federated_links(Exchange& ex, const Account& account, boost::json::object& data);
// The console's account page: the account's links.
void add_console_federated_links(Exchange& ex, const Account& account, boost::json::object& data);

}  // namespace portier::web
