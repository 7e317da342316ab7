#include "account/account_lookup.h"

#include "account/identifiers.h"

namespace portier {

Result<std::vector<Account>> find_by_identifier_or_email(AccountStore& accounts, std::string_view target) {
  std::vector<Account> out;
  if (target.find('@') != std::string_view::npos) {
    auto email = normalize_email(target);
    if (!email) return out;
    return accounts.find_by_email(*email);
  }
  auto id = normalize_identifier(target);
  if (!id) return out;
  auto found = accounts.find_by_identifier(*id);
  if (found) out.push_back(std::move(*found));
  else if (found.error().code != ErrorCode::NotFound) return tl::unexpected(found.error());
  return out;
}

}  // namespace portier
