#pragma once
// An account made from a provider's claims and its link to the identity,
// written together (storage/stores/sql_federated_account_store.*): never an
// account without its link, nor a link to an account that was refused.
#include "account/account.h"
#include "common/result.h"
#include "flow/federation/federated_identity_store.h"

namespace portier {

class FederatedAccountStore {
public:
  virtual ~FederatedAccountStore() = default;
  /// In one transaction, inserts `account` (returned as stored: id,
  /// created_at) and `link` to it (link.account_id is ignored). Conflict,
  /// with nothing written, and `detail` saying why: "identity" when this
  /// (issuer, subject) is linked already, "rpps" when an account has
  /// account.rpps, "email" when an account uses account.email
  /// (case-insensitive), "identifier" when the identifier is taken.
  virtual Result<Account> create_linked(const Account& account, const FederatedLink& link) = 0;
};

}  // namespace portier
