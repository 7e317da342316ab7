#pragma once
// Signing out through the provider (docs/federation.md, "Logout at the
// provider"): POST /deconnexion (sign_in_pages.cpp) ends portier's session
// and, for a session opened through a provider, sends the browser to the
// provider's end_session_endpoint; the provider sends it back to
//   GET /federation/<id>/deconnexion   (one route per configured provider)
// which checks the state against this browser's cookie and says whether the
// provider's session ended too.
#include <vector>

#include "flow/federation/federated_logout_service.h"
#include "web/route.h"

namespace portier::web {

// The state on its way to the provider and back (Lax: the provider's
// redirect back is a top-level navigation).
inline constexpr const char* kFederationLogoutCookie = "portier_federation_logout";

std::vector<Route> federation_logout_routes(const WebServices& services);

// sign_out's answer once portier's session has ended, for what begin() said.
http::Response after_sign_out(Exchange& ex, const FederatedLogoutStart& at_provider);

}  // namespace portier::web
