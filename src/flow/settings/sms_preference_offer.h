#pragma once
// Right after a member proved a mobile number in Mon espace, the
// confirmation offers to make SMS the preferred channel of sign-in codes in
// one click. No password again: she typed it moments ago to add the number,
// then proved the number with the code texted to it, and the choice only
// changes which channel the second step pre-selects (both stay offered).
// So the click counts only within kSmsOfferWindow of that proof.
#include <chrono>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "common/clock.h"

namespace portier {

inline constexpr std::chrono::seconds kSmsOfferWindow{15 * 60};

enum class SmsOffer { Accepted, AlreadySms, Unavailable /* no proved number, or proved too long ago */ };

// Whether the offer may be shown to (or accepted by) this account now.
SmsOffer sms_offer_state(const Account& account, TimePoint now);
Result<SmsOffer> accept_sms_offer(AccountStore& accounts, AuditLog& audit, const Clock& clock, AccountId account,
                                  const ClientInfo& client);

}  // namespace portier
