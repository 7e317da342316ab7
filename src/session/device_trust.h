#pragma once
// Device cookies (OWASP "Slow down online guessing attacks with device
// cookies"): a browser in which a member has signed in carries a signed
// entry naming the account and a random nonce. Failed passwords from such a
// browser count against that device only, so that a stranger hammering the
// member's identifier from elsewhere suspends strangers, never the member's
// own browser. One cookie holds the entries of up to five accounts (shared
// practice PCs). Never trusts an entry whose signature does not verify.
#include <optional>
#include <string>
#include <vector>

#include "account/account.h"
#include "common/random.h"
#include "common/secret_hasher.h"

namespace portier {

struct TrustedDevice {
  AccountId account = 0;
  std::string nonce;
};

class DeviceTrust {
public:
  static constexpr std::size_t kMaxEntries = 5;
  DeviceTrust(const SecretHasher& secrets, Random& random) : secrets_(secrets), random_(random) {}

  // The verified entries of a cookie value; forged, malformed or surplus
  // entries are ignored.
  std::vector<TrustedDevice> parse(std::string_view cookie_value) const;
  // The nonce this browser holds for `account`, if any.
  std::optional<std::string> nonce_for(std::string_view cookie_value, AccountId account) const;
  // The cookie value after a successful sign-in to `account`: its entry
  // (kept if present, else new) first, then the others, at most kMaxEntries.
  std::string remember(std::string_view cookie_value, AccountId account);

private:
  std::string entry(AccountId account, const std::string& nonce) const;

  const SecretHasher& secrets_;
  Random& random_;
};

}  // namespace portier
