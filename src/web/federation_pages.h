#pragma once
// The federated sign-in's pages (Pro Santé Connect, an establishment's
// provider), docs/federation.md:
//   /federation/<id>          to the provider (the request kept in a flow,
//                             its token in a Lax cookie);
//   /federation/<id>/retour   the answer, judged once: signs in
//                             (finish_sign_in), asks the second step, keeps
//                             an unknown identity to link, or a refusal page;
//   /federation/liaison       after the sign-in made to link it: confirm.
#include <vector>

#include "config/config.h"
#include "web/route.h"

namespace portier::web {

// One pair of routes per configured provider (the router matches exact paths).
std::vector<Route> federation_routes(const Config& config);
// The sign-in page's "Se connecter avec <label>" entries.
void add_federation_entries(Exchange& ex, boost::json::object& data);

}  // namespace portier::web
