#pragma once
// Who a sign-in names: the sign-in form takes the identifier or the email
// address. Identifiers may hold '@' (they are looked up first); an address
// signs in only when exactly one account uses it (addresses are not unique:
// several accounts of one person may share one), otherwise it names no
// account and costs the same dummy hash as an unknown identifier.
#include <optional>
#include <string>

#include "account/account_store.h"

namespace portier {

struct SignInLookup {
  std::optional<Account> account;
  // What every sign-in counter is keyed by: the account's identifier when
  // one was found (typed as identifier or as address alike), otherwise the
  // text typed, normalised, so that unknown names are counted the same way.
  std::string throttle_key;
};

Result<SignInLookup> find_sign_in_account(AccountStore& accounts, std::string_view typed);

}  // namespace portier
