#pragma once
// Persistence of authenticator apps and their recovery codes. Secrets arrive
// already encrypted ("boxes") and codes already hashed: a store never sees a
// secret or a code in clear.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "account/account.h"
#include "common/result.h"

namespace portier {

struct TotpCredential {
  AccountId account = 0;
  std::optional<std::string> secret_box;   // the confirmed app; empty while only an enrolment is pending
  std::optional<std::string> pending_box;  // an enrolment shown but not yet confirmed
  std::optional<TimePoint> pending_at;     // when pending_box was drawn
  std::optional<TimePoint> confirmed_at;
  std::optional<std::int64_t> last_step;   // newest time step accepted

  bool is_enrolled() const { return secret_box.has_value(); }
};

class TotpStore {
public:
  virtual ~TotpStore() = default;
  /// Keeps `pending_box` as the account's pending secret, replacing any
  /// pending one and leaving a confirmed app untouched; `at` is when it was drawn.
  virtual Result<void> save_pending(AccountId account, std::string_view pending_box, TimePoint at) = 0;
  /// Forgets the pending secret (cancelled or expired), leaving a confirmed
  /// app untouched; no-op when none is pending.
  virtual Result<void> clear_pending(AccountId account) = 0;
  /// The account's row; NotFound when it has neither an app nor a pending one.
  virtual Result<TotpCredential> find(AccountId account) = 0;
  /// In one transaction: the pending secret becomes the app (only if it is
  /// still `pending_box`: FlowStateInvalid when a newer enrolment replaced it
  /// or it was confirmed meanwhile), `step` becomes its last used step, and
  /// `recovery_hashes` replace every recovery code of the account.
  virtual Result<void> confirm(AccountId account, std::string_view pending_box, std::int64_t step, TimePoint now,
                               const std::vector<std::string>& recovery_hashes) = 0;
  /// Records `step` as used, in one statement, only when it is newer than the
  /// last used step: true when recorded, false when that step (or a newer
  /// one) was already used, or when the account has no app.
  virtual Result<bool> claim_step(AccountId account, std::int64_t step) = 0;
  /// Replaces every recovery code of the account (one transaction).
  virtual Result<void> replace_recovery_codes(AccountId account, const std::vector<std::string>& hashes) = 0;
  /// Spends the unused code with this hash, in one statement: true when it
  /// was spent now, false when unknown, of another account, or already used.
  virtual Result<bool> use_recovery_code(AccountId account, std::string_view hash, TimePoint now) = 0;
  /// Unused recovery codes of the account.
  virtual Result<int> count_recovery_codes(AccountId account) = 0;
  /// Deletes the app, any pending one and the recovery codes (no-op when none).
  virtual Result<void> remove(AccountId account) = 0;
};

}  // namespace portier
