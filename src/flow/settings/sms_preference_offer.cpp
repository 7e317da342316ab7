#include "flow/settings/sms_preference_offer.h"

namespace portier {

SmsOffer sms_offer_state(const Account& account, TimePoint now) {
  if (!has_verified_phone(account) || now - *account.phone_verified_at > kSmsOfferWindow) return SmsOffer::Unavailable;
  if (account.code_channel == CodeChannel::Sms) return SmsOffer::AlreadySms;
  return SmsOffer::Accepted;  // may be accepted
}

Result<SmsOffer> accept_sms_offer(AccountStore& accounts, AuditLog& audit, const Clock& clock, AccountId id,
                                  const ClientInfo& client) {
  auto account = accounts.find_by_id(id);
  if (!account) return tl::unexpected(account.error());
  auto state = sms_offer_state(*account, clock.now());
  if (state != SmsOffer::Accepted) return state;
  Account next = *account;
  next.code_channel = CodeChannel::Sms;
  if (auto r = accounts.update_profile(next); !r) return tl::unexpected(r.error());
  audit.record("profile.update", id, id, client, "channel sms, offered after the mobile number was proved");
  return SmsOffer::Accepted;
}

}  // namespace portier
