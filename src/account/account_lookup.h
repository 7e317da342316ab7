#pragma once
// "Identifier or email address", as the public forms take it (forgot
// password, first connection): every account it names, whatever its status.
// Callers keep the statuses they serve; an unknown or malformed target is an
// empty list, never an error, so the forms answer alike.
#include <vector>

#include "account/account_store.h"

namespace portier {

Result<std::vector<Account>> find_by_identifier_or_email(AccountStore& accounts, std::string_view target);

}  // namespace portier
