#include "flow/settings/code_settings_service.h"

#include <boost/json.hpp>

#include "account/identifiers.h"
#include "account/masking.h"
#include "common/encoding.h"
#include "common/time_format.h"
#include "credential/password_policy.h"

namespace portier {

namespace {

constexpr const char* kPending = "code_sent";
constexpr const char* kDone = "completed";

std::string digits_only(std::string_view typed) {
  std::string out;
  for (char c : typed)
    if (c >= '0' && c <= '9') out += c;
    else if (c != ' ' && c != '-') return {};
  return out;
}

std::string data_field(const std::string& json, const char* key) {
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return {};
  auto* x = v.as_object().if_contains(key);
  return x && x->is_string() ? std::string(x->as_string()) : std::string();
}

}  // namespace

CodeSettingsService::CodeSettingsService(AccountStore& accounts, FlowStore& flows, TokenFlowStore& flow_messages,
                                         OutboxStore& outbox, Reauthentication& reauth, const MessageComposer& composer,
                                         AuditLog& audit, const SecretHasher& secrets, Random& random,
                                         const Clock& clock, std::function<void()> wake_outbox,
                                         CodeSettings settings, SmsBudget& sms_budget)
    : accounts_(accounts),
      flows_(flows),
      flow_messages_(flow_messages),
      outbox_(outbox),
      reauth_(reauth),
      composer_(composer),
      audit_(audit),
      secrets_(secrets),
      random_(random),
      clock_(clock),
      wake_outbox_(std::move(wake_outbox)),
      settings_(std::move(settings)),
      sms_budget_(sms_budget) {}

Result<std::optional<SettingsOutcome>> CodeSettingsService::reauthenticate(const Account& a, std::string_view password,
                                                                           const char* purpose,
                                                                           const std::string& field, FieldErrors errors,
                                                                           const ClientInfo& client) {
  auto checked = reauth_.check(a, {password}, ReauthFactor::PasswordOnly, purpose, client);
  if (!checked) return tl::unexpected(checked.error());
  auto stop = unless_passed(*checked, field);
  if (stop && std::holds_alternative<ReauthLockedOut>(*stop)) return stop;
  if (stop) errors.merge(std::get<Invalid>(*stop).errors);
  if (errors.empty()) return std::optional<SettingsOutcome>();
  return std::optional<SettingsOutcome>(Invalid{std::move(errors)});
}

OutboundMessage CodeSettingsService::notice(const Account& a, std::string_view what, std::string_view lang) const {
  auto now = clock_.now();
  return composer_.message("codes.changed", lang,
                           boost::json::object{{"display_name", a.display_name},
                                               {"identifier", a.identifier},
                                               {"what_" + std::string(what), true},
                                               {"when", format_local_time(now, lang)},
                                               {"recovery", settings_.public_url + "/mot-de-passe-oublie"},
                                               {"assistance", settings_.public_url + "/assistance"}},
                           MessageChannel::Email, a.email, a.id, now);
}

Result<PhoneChangeOutcome> CodeSettingsService::start_phone_change(AccountId id, std::string_view phone,
                                                                   std::string_view password, std::string_view lang,
                                                                   const ClientInfo& client, bool robot_passed) {
  auto account = accounts_.find_by_id(id);
  if (!account) return tl::unexpected(account.error());
  FieldErrors errors;
  auto normalized = normalize_phone(phone, settings_.phone_default_country);
  if (trim(phone).empty()) errors["new_phone"] = "required";
  else if (!normalized) errors["new_phone"] = "invalid_phone";
  // Refused where it is typed, not when the SMS would leave: the member
  // learns at once that the number cannot be used.
  else if (!sms_budget_.destination_allowed(*normalized)) errors["new_phone"] = "phone_prefix_refused";
  auto stop = reauthenticate(*account, password, "phone_change", "phone_password", std::move(errors), client);
  if (!stop) return tl::unexpected(stop.error());
  if (*stop) {
    if (std::holds_alternative<ReauthLockedOut>(**stop)) return ReauthLockedOut{};
    return std::get<Invalid>(**stop);
  }
  // After the password: only the account's holder spends its allowance.
  auto claimed = sms_budget_.claim_verification(id, *normalized, robot_passed);
  if (!claimed) return tl::unexpected(claimed.error());
  if (*claimed != SmsRefusal::None) {
    if (*claimed != SmsRefusal::RobotCheck)
      audit_.record("phone.verification_capped", id, id, client, std::string(to_string(*claimed)) + " " + mask_phone(*normalized));
    return PhoneSmsRefused{*claimed};
  }
  auto now = clock_.now();
  auto code = random_.from_alphabet("0123456789", 8);
  PhoneCodeSent out{random_.token(32), mask_phone(*normalized), now + settings_.code_lifetime};
  FlowEnvelope flow;
  flow.id_hash = secrets_.digest("flow", out.flow_token);
  flow.kind = FlowKind::PhoneVerification;
  flow.state = kPending;
  flow.account = id;
  flow.created_at = now;
  flow.expires_at = out.expires_at;
  flow.data = boost::json::serialize(boost::json::object{
      {"phone", *normalized}, {"code_hash", secrets_.digest("phone-code", flow.id_hash + ":" + code)}});
  auto sms = composer_.message("phone.verify", lang,
                               boost::json::object{{"code", code}, {"minutes", settings_.code_lifetime.count() / 60}},
                               MessageChannel::Sms, *normalized, id, now);
  auto saved = flow_messages_.save(flow, "", {}, {sms});
  if (!saved) return tl::unexpected(saved.error());
  if (wake_outbox_) wake_outbox_();
  audit_.record("phone.verification_sent", id, id, client, out.masked_phone);
  return out;
}

Result<FlowEnvelope> CodeSettingsService::load(AccountId id, std::string_view flow_token) {
  if (flow_token.empty() || flow_token.size() > 128) return fail(ErrorCode::NotFound, "no phone verification");
  auto flow = flows_.find(FlowKind::PhoneVerification, secrets_.digest("flow", flow_token));
  if (!flow) return flow;
  // Another member's verification (a shared PC) is not this one's.
  if (flow->account != id) return fail(ErrorCode::NotFound, "no phone verification");
  if (flow->is_expired(clock_.now())) return fail(ErrorCode::Expired, "phone verification expired");
  if (flow->state != kPending) return fail(ErrorCode::FlowStateInvalid, "phone verification done");
  return flow;
}

Result<PhoneVerificationView> CodeSettingsService::pending_phone(AccountId id, std::string_view flow_token) {
  auto flow = load(id, flow_token);
  if (!flow) return tl::unexpected(flow.error());
  return PhoneVerificationView{mask_phone(data_field(flow->data, "phone")), flow->expires_at,
                               std::max(0, settings_.max_attempts - flow->attempts)};
}

Result<PhoneConfirmOutcome> CodeSettingsService::confirm_phone(AccountId id, std::string_view flow_token,
                                                               std::string_view typed, std::string_view lang,
                                                               const ClientInfo& client) {
  auto flow = load(id, flow_token);
  if (!flow) return tl::unexpected(flow.error());
  auto counted = flows_.count_attempt(FlowKind::PhoneVerification, flow->id_hash, settings_.max_attempts);
  if (!counted) {
    if (counted.error().code == ErrorCode::FlowStateInvalid) return PhoneCodeWrong{0};
    return tl::unexpected(counted.error());
  }
  auto code = digits_only(typed);
  auto expected = data_field(flow->data, "code_hash");
  if (code.size() != 8 || !constant_time_equal(secrets_.digest("phone-code", flow->id_hash + ":" + code), expected)) {
    audit_.record("phone.verification_failed", id, id, client);
    return PhoneCodeWrong{settings_.max_attempts - *counted};
  }
  FlowEnvelope done = *flow;
  done.state = kDone;
  if (auto r = flows_.transition(done, kPending); !r) return PhoneCodeWrong{0};
  auto account = accounts_.find_by_id(id);
  if (!account) return tl::unexpected(account.error());
  Account next = *account;
  next.phone = data_field(flow->data, "phone");
  next.phone_verified_at = clock_.now();
  if (auto r = accounts_.update_profile(next); !r) return tl::unexpected(r.error());
  // The address of record hears of it: a stolen session cannot route SMS
  // codes to another phone in silence.
  tell(next, account->phone ? "phone_changed" : "phone_added", lang);
  audit_.record("phone.verified", id, id, client, mask_phone(*next.phone));
  return PhoneSaved{};
}

void CodeSettingsService::tell(const Account& a, std::string_view what, std::string_view lang) {
  // After the change: a notice that fails to queue is logged by the store's
  // caller path and does not undo what the member asked for.
  if (outbox_.enqueue(notice(a, what, lang)) && wake_outbox_) wake_outbox_();
}

Result<SettingsOutcome> CodeSettingsService::remove_phone(AccountId id, std::string_view password,
                                                          std::string_view lang, const ClientInfo& client) {
  auto account = accounts_.find_by_id(id);
  if (!account) return tl::unexpected(account.error());
  auto stop = reauthenticate(*account, password, "phone_removal", "remove_password", {}, client);
  if (!stop) return tl::unexpected(stop.error());
  if (*stop) return **stop;
  if (!account->phone) return Saved{};
  Account next = *account;
  next.phone.reset();
  next.phone_verified_at.reset();
  if (next.code_channel == CodeChannel::Sms) next.code_channel = CodeChannel::Email;
  if (auto r = accounts_.update_profile(next); !r) return tl::unexpected(r.error());
  tell(next, "phone_removed", lang);
  audit_.record("phone.removed", id, id, client);
  return Saved{};
}

Result<SettingsOutcome> CodeSettingsService::set_channel(AccountId id, std::string_view channel,
                                                         std::string_view password, std::string_view lang,
                                                         const ClientInfo& client) {
  auto account = accounts_.find_by_id(id);
  if (!account) return tl::unexpected(account.error());
  FieldErrors errors;
  auto parsed = parse_channel(channel);
  if (!parsed) errors["channel"] = "invalid_channel";
  else if (*parsed == CodeChannel::Sms && !has_verified_phone(*account)) errors["channel"] = "sms_needs_phone";
  auto stop = reauthenticate(*account, password, "channel_change", "channel_password", std::move(errors), client);
  if (!stop) return tl::unexpected(stop.error());
  if (*stop) return **stop;
  if (*parsed == account->code_channel) return Saved{};
  Account next = *account;
  next.code_channel = *parsed;
  if (auto r = accounts_.update_profile(next); !r) return tl::unexpected(r.error());
  tell(next, *parsed == CodeChannel::Sms ? "channel_sms" : "channel_email", lang);
  audit_.record("profile.update", id, id, client, "channel");
  return Saved{};
}

}  // namespace portier
