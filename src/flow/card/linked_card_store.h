#pragma once
// Smart cards (CPS) linked to accounts (storage/stores/sql_linked_card_store.*).
// A card is known by the SHA-256 of its authentication certificate: a card
// renewed by the issuer is a new certificate, linked anew at its first use.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "account/account.h"
#include "common/clock.h"
#include "common/result.h"

namespace portier {

struct LinkedCard {
  std::string sha256;  // lower-case hex of SHA-256(certificate DER)
  AccountId account_id = 0;
  std::string subject;  // RFC 2253, for pages
  std::string issuer;
  std::string serial;   // upper-case hex
  std::string holder;   // "Dr Jean Dupont": what the pages name the card by
  TimePoint not_after{};
  TimePoint linked_at{};
  std::optional<TimePoint> last_used_at;
};

class LinkedCardStore {
public:
  virtual ~LinkedCardStore() = default;
  // NotFound when no account has this card.
  virtual Result<LinkedCard> find(std::string_view sha256) = 0;
  // Conflict when the card is already linked (to this account or another):
  // one statement, so two tabs linking at once leave one row.
  virtual Result<void> link(const LinkedCard& card) = 0;
  // The card signed its holder in at `at`.
  virtual Result<void> touch(std::string_view sha256, TimePoint at) = 0;
  // The account's cards, most recently linked first.
  virtual Result<std::vector<LinkedCard>> list_for_account(AccountId account) = 0;
  // False when the account had no such card.
  virtual Result<bool> unlink(AccountId account, std::string_view sha256) = 0;
  // The accounts recorded with this RPPS (the card's way to an account under
  // card.identifier_rule = "rpps"); usually one, never trusted when several.
  virtual Result<std::vector<AccountId>> accounts_with_rpps(std::string_view rpps) = 0;
};

}  // namespace portier
