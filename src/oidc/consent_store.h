#pragma once
// What a member allowed each application (storage/stores/sql_consent_store.*):
// the scopes consented to, when, and when the application last signed them
// in. Trusted (first-party) clients get a row too, marked implicit, so Mon
// espace "Applications" lists every application the member uses.
#include <string>
#include <string_view>
#include <vector>

#include "account/account.h"
#include "common/clock.h"
#include "common/result.h"

namespace portier::oidc {

struct Consent {
  AccountId account_id = 0;
  std::string client_id;
  std::string client_name;  // filled by list_for_account (joined), for display
  std::vector<std::string> scopes;
  bool implicit = false;  // a trusted client: nothing was asked
  TimePoint granted_at{};
  TimePoint last_used_at{};
};

class ConsentStore {
public:
  virtual ~ConsentStore() = default;
  // NotFound when the member never allowed the client (or revoked it).
  virtual Result<Consent> find(AccountId account, std::string_view client_id) = 0;
  // Records a consent (replacing the scopes of an earlier one) or, for a
  // trusted client, its use; last_used_at = granted_at = `at` when new.
  virtual Result<void> grant(const Consent& consent) = 0;
  // The application signed the member in at `at`.
  virtual Result<void> touch(AccountId account, std::string_view client_id, TimePoint at) = 0;
  // Every application of the member, most recently used first.
  virtual Result<std::vector<Consent>> list_for_account(AccountId account) = 0;
  // False when there was nothing to revoke.
  virtual Result<bool> revoke(AccountId account, std::string_view client_id) = 0;
};

}  // namespace portier::oidc
