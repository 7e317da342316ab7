#include "session/strong_sign_in_policy.h"

#include "oidc/authentication_context.h"

namespace portier {

StrongSignInPolicy::StrongSignInPolicy(const std::vector<std::string>& roles) {
  for (const auto& r : roles) {
    if (r == "member") member_ = true;
    if (r == "support") support_ = true;
    if (r == "admin") admin_ = true;
  }
}

bool StrongSignInPolicy::required_for(Role role) const {
  switch (role) {
    case Role::Member: return member_;
    case Role::Support: return support_;
    case Role::Admin: return admin_;
  }
  return false;
}

StrongSignInVerdict StrongSignInPolicy::judge(Role role, std::string_view auth_methods, bool link_waiting) const {
  if (!required_for(role) || oidc::is_health_card(auth_methods)) return StrongSignInVerdict::Open;
  // The first card or PSC identity is linked by proving the account with
  // its password (and second step): that sign-in must go through, or the
  // member could never get a card linked. It can do nothing but the link.
  return link_waiting ? StrongSignInVerdict::LinkOnly : StrongSignInVerdict::Refuse;
}

bool StrongSignInPolicy::allows(Role role, std::string_view auth_methods, std::string_view path) const {
  if (!required_for(role) || oidc::is_health_card(auth_methods)) return true;
  return is_link_path(path) || path == "/deconnexion";
}

bool StrongSignInPolicy::is_link_path(std::string_view path) {
  return path == "/carte-cps/liaison" || path == "/federation/liaison";
}

}  // namespace portier
