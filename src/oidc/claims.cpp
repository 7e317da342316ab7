#include "oidc/claims.h"

#include <map>

#include "oidc/scope.h"

namespace portier::oidc {

namespace {

const std::map<std::string, std::vector<std::string>, std::less<>>& table() {
  // The account model holds no given/family name, locale or update time:
  // those standard claims are not released rather than made up.
  static const std::map<std::string, std::vector<std::string>, std::less<>> t{
      {"profile", {"name", "preferred_username"}},
      {"email", {"email", "email_verified"}},
      {"phone", {"phone_number", "phone_number_verified"}},
      {"rpps", {"rpps"}},
      {"roles", {"roles"}},
  };
  return t;
}

void put(boost::json::object& out, const Account& a, std::string_view claim) {
  if (claim == "name") {
    if (!a.display_name.empty()) out["name"] = a.display_name;
  } else if (claim == "preferred_username") {
    out["preferred_username"] = a.identifier;
  } else if (claim == "email") {
    if (!a.email.empty()) out["email"] = a.email;
  } else if (claim == "email_verified") {
    // An account becomes active through the invitation sent to its address.
    if (!a.email.empty()) out["email_verified"] = a.status == AccountStatus::Active;
  } else if (claim == "phone_number") {
    if (a.phone) out["phone_number"] = *a.phone;
  } else if (claim == "phone_number_verified") {
    if (a.phone) out["phone_number_verified"] = a.phone_verified_at.has_value();
  } else if (claim == "rpps") {
    if (a.rpps && !a.rpps->empty()) out["rpps"] = *a.rpps;
  } else if (claim == "roles") {
    boost::json::array roles;
    roles.emplace_back(to_string(a.role));
    out["roles"] = std::move(roles);
  }
}

}  // namespace

const std::vector<std::string>& claim_scopes() {
  static const std::vector<std::string> s{"profile", "email", "phone", "rpps", "roles"};
  return s;
}

const std::vector<std::string>& claims_of_scope(std::string_view scope) {
  static const std::vector<std::string> none;
  auto it = table().find(scope);
  return it == table().end() ? none : it->second;
}

const std::vector<std::string>& supported_claims() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> out{"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid", "azp"};
    for (auto& s : claim_scopes())
      for (auto& c : claims_of_scope(s)) out.push_back(c);
    return out;
  }();
  return all;
}

boost::json::object claims_for(const Account& account, const std::vector<std::string>& scopes,
                               const std::vector<std::string>* only) {
  boost::json::object out;
  for (auto& scope : scopes)
    for (auto& claim : claims_of_scope(scope))
      if (!only || contains(*only, claim)) put(out, account, claim);
  return out;
}

}  // namespace portier::oidc
