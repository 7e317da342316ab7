#pragma once
// Identities at an external OpenID Connect provider (Pro Santé Connect, or an
// establishment's own) linked to portier accounts
// (storage/stores/sql_federated_identity_store.*). docs/federation.md.
// An identity is known by the provider's issuer and its `sub` there: the
// pair the provider promises never to reuse (OpenID Connect Core §2). An
// account has at most one identity per configured provider.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "account/account.h"
#include "common/clock.h"
#include "common/result.h"

namespace portier {

struct FederatedLink {
  std::string provider;   // configured provider id ("psc"), as in [[federation.providers]]
  std::string issuer;     // the provider's exact issuer
  std::string subject;    // the ID token's `sub` at that issuer
  AccountId account_id = 0;
  std::string person_id;     // the subject_claim's value (PSC: SubjectNameID, "8" + RPPS)
  std::string display_name;  // "Jean Dupont", from the provider's claims: what pages name the link by
  TimePoint linked_at{};
  std::optional<TimePoint> last_used_at;
};

class FederatedIdentityStore {
public:
  virtual ~FederatedIdentityStore() = default;
  // NotFound when no account has this identity.
  virtual Result<FederatedLink> find(std::string_view issuer, std::string_view subject) = 0;
  // Conflict when this identity is linked already (to any account) or the
  // account already has an identity at this provider: one statement, so two
  // tabs linking at once leave one row.
  virtual Result<void> link(const FederatedLink& link) = 0;
  // The identity signed its holder in at `at`.
  virtual Result<void> touch(std::string_view issuer, std::string_view subject, TimePoint at) = 0;
  // The account's identities, most recently linked first.
  virtual Result<std::vector<FederatedLink>> list_for_account(AccountId account) = 0;
  // False when the account had no identity at this provider.
  virtual Result<bool> unlink(AccountId account, std::string_view provider) = 0;
};

}  // namespace portier
