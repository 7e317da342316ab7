#include "flow/sign_in/sign_in_lookup.h"

#include "account/identifiers.h"
#include "common/encoding.h"

namespace portier {

Result<SignInLookup> find_sign_in_account(AccountStore& accounts, std::string_view typed) {
  SignInLookup out;
  auto id = normalize_identifier(typed);
  if (id) {
    auto found = accounts.find_by_identifier(*id);
    if (found) out.account = std::move(*found);
    else if (found.error().code != ErrorCode::NotFound) return tl::unexpected(found.error());
  }
  // Both lookups are indexed reads (microseconds beside the argon2 hash every
  // answer costs), so trying the address second reveals nothing by timing.
  if (!out.account && typed.find('@') != std::string_view::npos) {
    if (auto email = normalize_email(typed)) {
      auto found = accounts.find_by_email(*email);
      if (!found) return tl::unexpected(found.error());
      if (found->size() == 1) out.account = std::move(found->front());
    }
  }
  if (out.account) out.throttle_key = out.account->identifier;
  else out.throttle_key = id ? *id : ascii_lower(trim(typed));
  return out;
}

}  // namespace portier
