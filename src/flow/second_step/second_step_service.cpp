#include "flow/second_step/second_step_service.h"

#include <boost/json.hpp>

#include "account/masking.h"
#include "common/encoding.h"
#include "common/time_format.h"

namespace portier {

namespace {

constexpr const char* kState = "second_step";
constexpr const char* kDone = "completed";

struct Data {
  std::string via;        // "email" or "sms" once a code was sent
  std::string to;         // masked destination
  std::string code_hash;
  std::int64_t code_expires = 0;
  std::int64_t last_sent = 0;
  // Per channel: the cooldown holds between two codes by the same channel,
  // never between channels (a mail filter holding the message is exactly
  // when the member needs the SMS).
  std::int64_t last_sent_email = 0;
  std::int64_t last_sent_sms = 0;
  // What came before this step: "pwd" (the password), or "card" (the smart
  // card and its PIN, card.second_step = true). Empty in older flows: "pwd".
  std::string first = "pwd";
};

std::string encode(const Data& d) {
  return boost::json::serialize(boost::json::object{{"via", d.via},
                                                    {"to", d.to},
                                                    {"code_hash", d.code_hash},
                                                    {"code_expires", d.code_expires},
                                                    {"last_sent", d.last_sent},
                                                    {"last_sent_email", d.last_sent_email},
                                                    {"last_sent_sms", d.last_sent_sms},
                                                    {"first", d.first}});
}

Data decode(const std::string& text) {
  Data d;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return d;
  auto& o = v.as_object();
  auto str = [&](const char* k) {
    auto* x = o.if_contains(k);
    return x && x->is_string() ? std::string(x->as_string()) : std::string();
  };
  auto num = [&](const char* k) -> std::int64_t {
    auto* x = o.if_contains(k);
    return x && x->is_int64() ? x->as_int64() : 0;
  };
  d.via = str("via");
  d.to = str("to");
  d.code_hash = str("code_hash");
  d.code_expires = num("code_expires");
  d.last_sent = num("last_sent");
  d.last_sent_email = num("last_sent_email");
  d.last_sent_sms = num("last_sent_sms");
  if (auto first = str("first"); !first.empty()) d.first = first;
  // Flows written before the per-channel times: the last send counts for its channel.
  if (!d.last_sent_email && !d.last_sent_sms && d.last_sent) (d.via == "sms" ? d.last_sent_sms : d.last_sent_email) = d.last_sent;
  return d;
}

std::string digits_only(std::string_view typed) {
  std::string out;
  for (char c : typed)
    if (c >= '0' && c <= '9') out += c;
    else if (c != ' ' && c != '-') return {};  // anything else makes it wrong, not "fixed"
  return out;
}

}  // namespace

const char* to_string(SecondStepMethod m) {
  switch (m) {
    case SecondStepMethod::Email: return "email";
    case SecondStepMethod::Sms: return "sms";
    case SecondStepMethod::App: return "app";
    case SecondStepMethod::RecoveryCode: return "recovery_code";
  }
  return "?";
}

std::optional<SecondStepMethod> parse_second_step_method(std::string_view s) {
  if (s == "email") return SecondStepMethod::Email;
  if (s == "sms") return SecondStepMethod::Sms;
  if (s == "app") return SecondStepMethod::App;
  if (s == "recovery_code") return SecondStepMethod::RecoveryCode;
  return std::nullopt;
}

SecondStepService::SecondStepService(AccountStore& accounts, FlowStore& flows, TokenFlowStore& flow_messages,
                                     LockoutStore& lockouts, RateLimiter& limiter, TotpService& totp,
                                     const MessageComposer& composer, AuditLog& audit, const SecretHasher& secrets,
                                     Random& random, const Clock& clock, std::function<void()> wake_outbox,
                                     SecondStepSettings settings)
    : accounts_(accounts),
      flows_(flows),
      flow_messages_(flow_messages),
      lockouts_(lockouts),
      limiter_(limiter),
      totp_(totp),
      composer_(composer),
      audit_(audit),
      secrets_(secrets),
      random_(random),
      clock_(clock),
      wake_outbox_(std::move(wake_outbox)),
      settings_(std::move(settings)),
      guard_(lockouts, clock,
             SecondStepLimits{settings_.account_failure_threshold, settings_.account_suspension, settings_.ceiling}) {}

Result<bool> SecondStepService::codes_allowed(AccountId account) {
  if (settings_.allow_code_fallback_with_app) return true;
  auto app = totp_.is_enrolled(account);
  if (!app) return tl::unexpected(app.error());
  return !*app;
}

Result<bool> SecondStepService::required(const Account& account) {
  auto policy = settings_.policy ? settings_.policy(account.role) : std::string("required");
  if (policy == "required") return true;
  if (policy == "off") return false;
  if (has_verified_phone(account)) return true;
  return totp_.is_enrolled(account.id);
}

Result<SecondStepStarted> SecondStepService::begin(const Account& account, const ClientInfo& client,
                                                  std::string_view first_factor) {
  auto now = clock_.now();
  SecondStepStarted out{random_.token(32), now + settings_.flow_lifetime};
  FlowEnvelope flow;
  flow.id_hash = secrets_.digest("flow", out.flow_token);
  flow.kind = FlowKind::SignIn;
  flow.state = kState;
  flow.account = account.id;
  flow.created_at = now;
  flow.expires_at = out.expires_at;
  Data data;
  data.first = std::string(first_factor);
  flow.data = encode(data);
  if (auto r = flows_.create(flow); !r) return tl::unexpected(r.error());
  audit_.record("sign_in.second_step_required", account.id, account.id, client);
  return out;
}

Result<FlowEnvelope> SecondStepService::load(std::string_view flow_token) {
  if (flow_token.empty() || flow_token.size() > 128) return fail(ErrorCode::NotFound, "no second-step flow");
  auto flow = flows_.find(FlowKind::SignIn, secrets_.digest("flow", flow_token));
  if (!flow) return flow;
  if (flow->is_expired(clock_.now())) return fail(ErrorCode::Expired, "second-step flow expired");
  if (flow->state != kState || !flow->account) return fail(ErrorCode::FlowStateInvalid, "not a second-step flow");
  return flow;
}

Result<SecondStepView> SecondStepService::view(std::string_view flow_token) {
  auto flow = load(flow_token);
  if (!flow) return tl::unexpected(flow.error());
  auto account = accounts_.find_by_id(*flow->account);
  if (!account) return tl::unexpected(account.error());
  auto app = totp_.is_enrolled(account->id);
  if (!app) return tl::unexpected(app.error());
  auto data = decode(flow->data);
  SecondStepView v;
  v.identifier = account->identifier;
  v.masked_email = mask_email(account->email);
  if (has_verified_phone(*account)) v.masked_phone = mask_phone(*account->phone);
  v.has_app = *app;
  v.codes_allowed = !v.has_app || settings_.allow_code_fallback_with_app;
  // The app first when there is one: NIST prefers it to codes sent by SMS or email.
  v.preselected = v.has_app ? SecondStepMethod::App
                  : (account->code_channel == CodeChannel::Sms && v.masked_phone) ? SecondStepMethod::Sms
                                                                                    : SecondStepMethod::Email;
  if (!data.via.empty()) {
    v.sent_via = parse_second_step_method(data.via);
    v.sent_to = data.to;
    v.code_expires_at = from_unix(data.code_expires);
    v.resend_at = from_unix(data.last_sent) + settings_.resend_cooldown;
  }
  if (data.last_sent_email) v.resend_at_email = from_unix(data.last_sent_email) + settings_.resend_cooldown;
  if (data.last_sent_sms) v.resend_at_sms = from_unix(data.last_sent_sms) + settings_.resend_cooldown;
  v.attempts_left = std::max(0, settings_.max_attempts - flow->attempts);
  return v;
}

Result<SendOutcome> SecondStepService::send(std::string_view flow_token, SecondStepMethod via, std::string_view lang_in,
                                            const ClientInfo& client) {
  std::string lang = lang_in == "en" ? "en" : "fr";
  if (via != SecondStepMethod::Email && via != SecondStepMethod::Sms)
    return fail(ErrorCode::InvalidInput, "codes are sent by email or SMS");
  auto flow = load(flow_token);
  if (!flow) return tl::unexpected(flow.error());
  auto account = accounts_.find_by_id(*flow->account);
  if (!account) return tl::unexpected(account.error());
  if (via == SecondStepMethod::Sms && !has_verified_phone(*account))
    return fail(ErrorCode::InvalidInput, "no verified mobile number");
  // Refused here, not only left off the page: a direct POST must not get a
  // code that would let the mailbox pass the app.
  auto allowed_codes = codes_allowed(account->id);
  if (!allowed_codes) return tl::unexpected(allowed_codes.error());
  if (!*allowed_codes) {
    audit_.record("second_step.send_refused", std::nullopt, account->id, client, "authenticator app enrolled");
    return SendNotAllowed{};
  }
  auto data = decode(flow->data);
  auto now = clock_.now();
  auto last_by_channel = via == SecondStepMethod::Sms ? data.last_sent_sms : data.last_sent_email;
  if (last_by_channel && now < from_unix(last_by_channel) + settings_.resend_cooldown)
    return SendTooSoon{from_unix(last_by_channel) + settings_.resend_cooldown};
  auto allowed = limiter_.allow("second_step:send:" + std::to_string(account->id),
                                RateLimit{settings_.hourly_cap, std::chrono::hours(1)});
  if (!allowed) return tl::unexpected(allowed.error());
  if (!*allowed) {
    audit_.record("second_step.send_capped", account->id, account->id, client);
    return SendCapReached{};
  }
  if (via == SecondStepMethod::Sms && settings_.claim_sms && !settings_.claim_sms(*account->phone)) {
    audit_.record("second_step.sms_capped", account->id, account->id, client, "SMS budget");
    return SendCapReached{true};
  }

  auto code = random_.from_alphabet("0123456789", 8);
  auto expires = now + settings_.code_lifetime;
  bool sms = via == SecondStepMethod::Sms;
  auto m = composer_.message(sms ? "second_step.sms" : "second_step.code", lang,
                             boost::json::object{{"code", code},
                                                 {"display_name", account->display_name},
                                                 {"identifier", account->identifier},
                                                 {"expires", format_local_time(expires, lang)},
                                                 {"minutes", settings_.code_lifetime.count() / 60}},
                             sms ? MessageChannel::Sms : MessageChannel::Email, sms ? *account->phone : account->email,
                             account->id, now);

  Data next = data;
  next.via = to_string(via);
  next.to = sms ? mask_phone(*account->phone) : mask_email(account->email);
  // Bound to this flow: a code sent for one sign-in opens no other.
  next.code_hash = secrets_.digest("second-step-code", flow->id_hash + ":" + code);
  next.code_expires = to_unix(expires);
  next.last_sent = to_unix(now);
  (sms ? next.last_sent_sms : next.last_sent_email) = to_unix(now);
  FlowEnvelope updated = *flow;
  updated.data = encode(next);
  // The flow and its message are written together (see TokenFlowStore::save).
  auto saved = flow_messages_.save(updated, kState, {}, {m});
  if (!saved) return tl::unexpected(saved.error());
  if (wake_outbox_) wake_outbox_();
  audit_.record("second_step.code_sent", account->id, account->id, client, to_string(via));
  return CodeSent{via, next.to, expires};
}

Result<SecondStepCheck> SecondStepService::check(std::string_view flow_token, SecondStepMethod method,
                                                 std::string_view typed, const ClientInfo& client) {
  auto flow = load(flow_token);
  if (!flow) return tl::unexpected(flow.error());
  AccountId account = *flow->account;
  // Tries on this sign-in, counted before checking: parallel guesses cannot
  // exceed max_attempts.
  auto counted = flows_.count_attempt(FlowKind::SignIn, flow->id_hash, settings_.max_attempts);
  if (!counted) {
    if (counted.error().code == ErrorCode::FlowStateInvalid) return SecondStepRejected{0, false};
    return tl::unexpected(counted.error());
  }
  int left = settings_.max_attempts - *counted;
  // Wrong codes also count per account, apart from passwords, so that a
  // known password does not buy endless guesses through new sign-ins.
  auto attempt = guard_.begin(account);
  if (!attempt) return tl::unexpected(attempt.error());
  if (attempt->refused) {
    audit_.record(attempt->refused->until_reset ? "second_step.locked" : "second_step.suspended", std::nullopt,
                  account, client);
    return SecondStepRejected{0, true, attempt->refused->until_reset, -1, {}, attempt->refused->until};
  }

  bool ok = false;
  switch (method) {
    case SecondStepMethod::Email:
    case SecondStepMethod::Sms: {
      // An app enrolled since the code was sent: the code no longer passes.
      auto allowed_codes = codes_allowed(account);
      if (!allowed_codes) return tl::unexpected(allowed_codes.error());
      if (!*allowed_codes) break;
      auto data = decode(flow->data);
      auto code = digits_only(typed);
      ok = !data.code_hash.empty() && code.size() == 8 && clock_.now() < from_unix(data.code_expires) &&
           constant_time_equal(secrets_.digest("second-step-code", flow->id_hash + ":" + code), data.code_hash);
      break;
    }
    case SecondStepMethod::App: {
      auto verdict = totp_.verify(account, typed);
      if (!verdict) return tl::unexpected(verdict.error());
      ok = *verdict == TotpVerdict::Accepted;
      break;
    }
    case SecondStepMethod::RecoveryCode: {
      auto used = totp_.use_recovery_code(account, typed);
      if (!used) return tl::unexpected(used.error());
      ok = *used;
      break;
    }
  }
  if (!ok) {
    auto engaged = guard_.failed(*attempt);
    if (!engaged) return tl::unexpected(engaged.error());
    audit_.record("second_step.failure", std::nullopt, account, client, to_string(method));
    // The first wrong code of a sign-in: the password was right (not after a card).
    if (*counted == 1 && decode(flow->data).first == "pwd") count_password_known(account, client);
    if (*engaged) {
      audit_.record((*engaged)->until_reset ? "second_step.locked" : "second_step.suspended", std::nullopt, account,
                    client, (*engaged)->until_reset ? "ceiling of wrong codes reached" : "too many wrong codes");
      return SecondStepRejected{0, true, (*engaged)->until_reset, -1, {}, (*engaged)->until};
    }
    return SecondStepRejected{left, false, false, attempt->failures_left, attempt->rules[0].period.value_or(std::chrono::seconds(0))};
  }
  (void)guard_.succeeded(*attempt);
  // Spend the flow: of two submissions of the same code, one signs in.
  FlowEnvelope done = *flow;
  done.state = kDone;
  if (auto r = flows_.transition(done, kState); !r) return SecondStepRejected{0, false};
  audit_.record("second_step.success", account, account, client, to_string(method));
  return SecondStepPassed{account, decode(flow->data).first};
}

void SecondStepService::count_password_known(AccountId account, const ClientInfo& client) {
  auto key = "second_step:password_known:" + std::to_string(account);
  auto hits = limiter_.allow(key, RateLimit{settings_.password_known_after - 1, settings_.password_known_window});
  // allow() is false from the password_known_after-th sign-in of the window on.
  if (!hits || *hits) return;
  // At most one notice per window, however many sign-ins follow.
  auto notice = limiter_.allow("second_step:password_known_notice:" + std::to_string(account),
                               RateLimit{1, settings_.password_known_window});
  if (!notice || !*notice) return;
  audit_.record("second_step.password_known", std::nullopt, account, client,
                "right password, wrong code in " + std::to_string(settings_.password_known_after) + " sign-ins");
  if (!settings_.on_password_known) return;
  auto a = accounts_.find_by_id(account);
  if (a) settings_.on_password_known(*a);
}

}  // namespace portier
