#pragma once
// What portier tells applications about a member, by scope (docs/oidc.md,
// "Endpoints and tokens"): the standard claims of OpenID Connect Core 5.4
// that the account model holds, and the network's own (`rpps`, `roles`).
// Plain functions, no I/O.
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "account/account.h"

namespace portier::oidc {

// Scopes portier knows beyond "openid" and "offline_access", and the claims
// each one releases.
const std::vector<std::string>& claim_scopes();
const std::vector<std::string>& claims_of_scope(std::string_view scope);
// Every claim portier may release (discovery's claims_supported).
const std::vector<std::string>& supported_claims();

// The claims `scopes` release, all of them (UserInfo), or only those also in
// `only` when `only` is given (the ID token: the client's id_token_claims
// and the `claims` request parameter). A claim whose value the account does
// not have is left out, never sent empty.
boost::json::object claims_for(const Account& account, const std::vector<std::string>& scopes,
                               const std::vector<std::string>* only = nullptr);

}  // namespace portier::oidc
