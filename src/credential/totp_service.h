#pragma once
// Authenticator apps (TOTP, RFC 6238 through liboath): enrolment with a QR
// code and the key in text, confirmed by a first code; verification with a
// ±1 time-step window where a code (a time step) is never accepted twice;
// ten single-use recovery codes shown once. Secrets are stored encrypted
// under a key derived from the server key (they must be read back, so they
// cannot be hashed); recovery codes are stored as keyed hashes.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "account/account.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "common/secret_hasher.h"

namespace portier {

struct TotpEnrolment {
  std::string secret_base32;  // shown as text, grouped for reading
  std::string otpauth_uri;    // otpauth://totp/<issuer>:<identifier>?secret=…&issuer=…
  std::string qr_svg;         // the URI as an SVG QR code (libqrencode), inline-safe markup
};

enum class TotpVerdict {
  Accepted,
  Wrong,     // not a code of the current step ±1
  Replayed,  // a code of a step already used (or older)
};

class TotpStore;

class TotpService {
public:
  // How long a drawn key waits for its first code: long enough to find the
  // phone and install an app, short enough that a key left on a shared
  // screen is soon worth nothing.
  static constexpr std::chrono::minutes kPendingLifetime{15};

  TotpService(TotpStore& store, const SecretHasher& secrets, Random& random, const Clock& clock,
              std::string issuer);

  // Draws a new secret and keeps it pending (replacing any pending one);
  // an enrolled app stays in use until the new one is confirmed.
  Result<TotpEnrolment> start_enrolment(const Account& account);
  // The enrolment already pending, to show it again (a reload, a wrong code)
  // without drawing a new secret; NotFound when none is pending or it is
  // older than kPendingLifetime.
  Result<TotpEnrolment> pending_enrolment(const Account& account);
  // Forgets the pending key (the member cancelled); an enrolled app stays.
  Result<void> cancel_enrolment(AccountId account);
  // The first code from the app: on success the pending secret becomes the
  // account's app and ten new recovery codes are returned (shown once);
  // nullopt when the code is wrong. NotFound when no enrolment is pending
  // (or it expired).
  Result<std::optional<std::vector<std::string>>> confirm_enrolment(AccountId account, std::string_view code);
  Result<bool> is_enrolled(AccountId account);
  Result<TotpVerdict> verify(AccountId account, std::string_view code);
  // true when `code` was one of the account's unused recovery codes (now spent).
  Result<bool> use_recovery_code(AccountId account, std::string_view code);
  Result<int> remaining_recovery_codes(AccountId account);
  Result<std::vector<std::string>> regenerate_recovery_codes(AccountId account);
  Result<void> remove(AccountId account);

private:
  TotpStore& store_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  std::string issuer_;
};

}  // namespace portier
