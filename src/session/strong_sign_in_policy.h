#pragma once
// security.strong_sign_in_roles: the members who must sign in with the CPS
// card or Pro Santé Connect (the ANS référentiel d'identification
// électronique). Decides what a finished sign-in may open and what a session
// may reach; never locks a member out of linking their first card or PSC
// identity. Pure: no I/O. docs/security.md explains the design.
#include <string>
#include <string_view>
#include <vector>

#include "account/account.h"

namespace portier {

enum class StrongSignInVerdict {
  Open,      // a session as usual
  LinkOnly,  // a session that can only confirm the card or PSC identity waiting to be linked
  Refuse,    // no session: the member is offered the card or PSC
};

class StrongSignInPolicy {
public:
  explicit StrongSignInPolicy(const std::vector<std::string>& roles);

  bool required_for(Role role) const;
  // A sign-in of a member of `role` that proved `auth_methods`
  // (Session::auth_methods). `link_waiting`: this browser holds a card or a
  // PSC identity waiting to be linked (its pending-link cookie).
  StrongSignInVerdict judge(Role role, std::string_view auth_methods, bool link_waiting) const;
  // Whether a session may be used for `path`: a weak session of a member
  // held to the card (the LinkOnly one) reaches only the confirmations of
  // a link and sign-out; everywhere else it is as if nobody were signed in.
  bool allows(Role role, std::string_view auth_methods, std::string_view path) const;
  // The pages that confirm a link: /carte-cps/liaison (web/card_pages.cpp)
  // and /federation/liaison (web/federation_pages.cpp).
  static bool is_link_path(std::string_view path);

private:
  bool member_ = false, support_ = false, admin_ = false;
};

}  // namespace portier
