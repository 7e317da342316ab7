#pragma once
// Mon espace, "codes de connexion": the mobile number that receives SMS codes
// (proved by a code sent to it before it is saved) and the preferred channel.
// Every change needs the password again and is told to the email address,
// so that whoever holds a stolen session cannot quietly route codes away.
#include <functional>
#include <map>
#include <string>
#include <variant>

#include "account/account_store.h"
#include "audit/audit_log.h"
#include "common/random.h"
#include "common/secret_hasher.h"
#include "credential/password_hasher.h"
#include "flow/flow_store.h"
#include "flow/token_flow_store.h"
#include "flow/settings/settings_service.h"
#include "notify/message_composer.h"
#include "notify/outbox_store.h"
#include "throttle/sms_budget.h"

namespace portier {

struct PhoneCodeSent {
  std::string flow_token;
  std::string masked_phone;
  TimePoint expires_at;
};
// No code was texted: the robot check is needed first, or a cap is reached
// (throttle/sms_budget.h). The number and password were right.
struct PhoneSmsRefused {
  SmsRefusal why = SmsRefusal::AccountCap;
};
using PhoneChangeOutcome = std::variant<PhoneCodeSent, Invalid, ReauthLockedOut, PhoneSmsRefused>;

struct PhoneSaved {};
struct PhoneCodeWrong {
  int attempts_left = 0;  // 0: start again
};
using PhoneConfirmOutcome = std::variant<PhoneSaved, PhoneCodeWrong>;

struct PhoneVerificationView {
  std::string masked_phone;
  TimePoint expires_at;
  int attempts_left = 0;
};

struct CodeSettings {
  std::string phone_default_country = "+33";
  std::chrono::seconds code_lifetime{600};
  int max_attempts = 5;
  std::string public_url;
};

class CodeSettingsService {
public:
  CodeSettingsService(AccountStore& accounts, FlowStore& flows, TokenFlowStore& flow_messages, OutboxStore& outbox,
                      Reauthentication& reauth, const MessageComposer& composer, AuditLog& audit,
                      const SecretHasher& secrets, Random& random, const Clock& clock,
                      std::function<void()> wake_outbox, CodeSettings settings, SmsBudget& sms_budget);

  // Checks the password and the number (its country prefix too), claims
  // the SMS budget, then texts a code to the number. `robot_passed`: the
  // form's robot check passed (asked once needs_robot_check() says so).
  Result<PhoneChangeOutcome> start_phone_change(AccountId id, std::string_view phone, std::string_view password,
                                                std::string_view lang, const ClientInfo& client,
                                                bool robot_passed = false);
  // Whether the form must carry the robot check for the next code.
  Result<bool> needs_robot_check(AccountId id) { return sms_budget_.needs_robot_check(id); }
  Result<PhoneVerificationView> pending_phone(AccountId id, std::string_view flow_token);
  Result<PhoneConfirmOutcome> confirm_phone(AccountId id, std::string_view flow_token, std::string_view code,
                                            std::string_view lang, const ClientInfo& client);
  Result<SettingsOutcome> remove_phone(AccountId id, std::string_view password, std::string_view lang,
                                       const ClientInfo& client);
  Result<SettingsOutcome> set_channel(AccountId id, std::string_view channel, std::string_view password,
                                      std::string_view lang, const ClientInfo& client);

private:
  // The password again (session/reauthentication.h), its problem under
  // `field` merged into `errors`: nullopt when it passed and `errors` is
  // empty, otherwise what to return.
  Result<std::optional<SettingsOutcome>> reauthenticate(const Account& a, std::string_view password,
                                                        const char* purpose, const std::string& field,
                                                        FieldErrors errors, const ClientInfo& client);
  OutboundMessage notice(const Account& a, std::string_view what, std::string_view lang) const;
  Result<FlowEnvelope> load(AccountId id, std::string_view flow_token);
  void tell(const Account& a, std::string_view what, std::string_view lang);

  AccountStore& accounts_;
  FlowStore& flows_;
  TokenFlowStore& flow_messages_;
  OutboxStore& outbox_;
  Reauthentication& reauth_;
  const MessageComposer& composer_;
  AuditLog& audit_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  std::function<void()> wake_outbox_;
  CodeSettings settings_;
  SmsBudget& sms_budget_;
};

}  // namespace portier
