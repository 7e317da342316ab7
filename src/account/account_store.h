#pragma once
#include <vector>

#include "account/account.h"
#include "common/result.h"

namespace portier {

// Persistence of accounts. Implemented once (storage/stores/) for SQLite and
// PostgreSQL; the contract suite in tests/contract runs against each.
class AccountStore {
public:
  virtual ~AccountStore() = default;

  /// Inserts a new account; sets id and created_at. Conflict when the
  /// identifier (case-insensitive) is taken.
  virtual Result<Account> create(const Account& account) = 0;
  /// Inserts every account in one transaction, in order; returns them as
  /// stored. All or nothing: Conflict (naming the identifier) when any
  /// identifier is taken, and then no account is created.
  virtual Result<std::vector<Account>> create_many(const std::vector<Account>& accounts) = 0;
  /// NotFound when no account has this id.
  virtual Result<Account> find_by_id(AccountId id) = 0;
  /// Case-insensitive lookup; NotFound when unknown.
  virtual Result<Account> find_by_identifier(std::string_view identifier) = 0;
  /// Every account using this address (case-insensitive), oldest first.
  virtual Result<std::vector<Account>> find_by_email(std::string_view email) = 0;
  /// All accounts ordered by identifier, for the command line.
  virtual Result<std::vector<Account>> list(int limit, int offset) = 0;
  /// Accounts where every word of `text` (account/search_terms.h: any
  /// order, titles dropped) starts a word of the identifier, display name,
  /// email, phone (E.164 digits, or the French national "06..." form) or
  /// RPPS, ignoring case and accents; ordered by identifier, at most `limit`
  /// (taken among the first 2 000 matches: a word every account shares
  /// must not sort the whole table).
  /// For the support console's search.
  virtual Result<std::vector<Account>> search(std::string_view text, int limit) = 0;
  /// Updates profile fields: email, display_name, phone, phone_verified_at
  /// (cleared when phone is), code_channel, rpps.
  virtual Result<void> update_profile(const Account& account) = 0;
  virtual Result<void> set_status(AccountId id, AccountStatus status) = 0;
  virtual Result<void> set_role(AccountId id, Role role) = 0;
  /// Replaces the password hash; `temporary_until` set marks it temporary.
  /// Also revokes every unused recovery link and code of the account, in the
  /// same transaction: an older reset link must not undo a newer password.
  virtual Result<void> set_password(AccountId id, std::string_view hash,
                                    std::optional<TimePoint> temporary_until) = 0;
  /// Replaces the hash only when it is still `old_hash` (transparent rehash
  /// must never overwrite a password changed in between).
  virtual Result<void> rehash_password(AccountId id, std::string_view old_hash, std::string_view new_hash) = 0;
  virtual Result<void> record_sign_in(AccountId id, TimePoint at) = 0;
  /// Number of accounts with the given role and status active.
  virtual Result<int> count_active_with_role(Role role) = 0;
};

}  // namespace portier
