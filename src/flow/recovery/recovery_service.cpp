#include "flow/recovery/recovery_service.h"
#include "flow/password_choice.h"

#include <boost/json.hpp>

#include "account/account_lookup.h"
#include "flow/recovery/link_and_code.h"
#include "account/identifiers.h"
#include "common/encoding.h"
#include "common/time_format.h"
#include "flow/sign_in/sign_in_service.h"

namespace portier {

namespace {

constexpr const char* kLinkPurpose = "recovery_link";
constexpr const char* kCodePurpose = "recovery_code";

// Flow data: the accounts the request matched (empty for unknown targets),
// when the last message went, and the rate-limit key of the target.
struct FlowData {
  std::vector<AccountId> accounts;
  std::int64_t last_sent = 0;
  std::string target_key;
};

std::string encode(const FlowData& d) {
  boost::json::array ids;
  for (auto id : d.accounts) ids.push_back(id);
  return boost::json::serialize(
      boost::json::object{{"accounts", ids}, {"last_sent", d.last_sent}, {"target_key", d.target_key}});
}

FlowData decode(const std::string& text) {
  FlowData d;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return d;
  auto& o = v.as_object();
  if (auto* a = o.if_contains("accounts"); a && a->is_array())
    for (auto& id : a->as_array())
      if (id.is_int64()) d.accounts.push_back(id.as_int64());
  if (auto* s = o.if_contains("last_sent"); s && s->is_int64()) d.last_sent = s->as_int64();
  if (auto* k = o.if_contains("target_key"); k && k->is_string()) d.target_key = std::string(k->as_string());
  return d;
}

std::string lang_or_default(std::string_view lang) { return lang == "en" ? "en" : "fr"; }

}  // namespace

const char* to_string(RecoveryState s) { return s == RecoveryState::CodeSent ? "code_sent" : "locked"; }

std::string group_code(std::string_view code) {
  std::string out;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += code[i];
  }
  return out;
}

std::string normalize_code(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == ' ' || c == '-' || c == '\t' || c == '\r' || c == '\n') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

RecoveryService::RecoveryService(AccountStore& accounts, FlowStore& flows, RecoveryStore& store,
                                 RateLimiter& limiter, const MessageComposer& composer, const PasswordHasher& hasher,
                                 const PasswordPolicy& policy, AuditLog& audit, const SecretHasher& secrets,
                                 Random& random, const Clock& clock, std::function<void()> wake_outbox,
                                 RecoverySettings settings)
    : accounts_(accounts),
      flows_(flows),
      store_(store),
      limiter_(limiter),
      composer_(composer),
      hasher_(hasher),
      policy_(policy),
      audit_(audit),
      secrets_(secrets),
      random_(random),
      clock_(clock),
      wake_outbox_(std::move(wake_outbox)),
      settings_(std::move(settings)) {}

std::string RecoveryService::hash_secret(RecoverySecret kind, std::string_view secret) const {
  return kind == RecoverySecret::Link ? secrets_.digest(kLinkPurpose, secret)
                                      : secrets_.digest(kCodePurpose, normalize_code(secret));
}

Result<std::vector<Account>> RecoveryService::accounts_for(std::string_view target) {
  auto out = find_by_identifier_or_email(accounts_, target);
  if (!out) return out;
  // Only accounts that can sign in get a reset: a pending account is
  // activated through its invitation, a disabled one by support.
  std::erase_if(*out, [](const Account& a) { return a.status != AccountStatus::Active; });
  return out;
}

TokenIssue RecoveryService::issue_for(const Account& account, std::string_view lang, TimePoint now) {
  auto expires = now + settings_.lifetime;
  auto drawn = draw_link_and_code(random_, secrets_, kLinkPurpose, kCodePurpose, account.id, now, expires);
  const auto& link = drawn.link;
  const auto& code = drawn.code;
  TokenIssue issue;
  issue.account = account.id;
  issue.tokens = std::move(drawn.tokens);
  issue.message = composer_.message(
      "recovery.password", lang,
      boost::json::object{{"display_name", account.display_name},
                          {"identifier", account.identifier},
                          {"link", settings_.public_url + "/mot-de-passe-oublie/nouveau?jeton=" + link},
                          {"code", group_code(code)},
                          {"expires", format_local_time(expires, lang)},
                          {"minutes", settings_.lifetime.count() / 60}},
      MessageChannel::Email, account.email, account.id, now);
  return issue;
}

Result<RecoveryRequestOutcome> RecoveryService::request(std::string_view target, std::string_view lang_in,
                                                        const ClientInfo& client) {
  auto lang = lang_or_default(lang_in);
  auto by_client = limiter_.allow("recovery:client:" + client.ip, settings_.per_client);
  if (!by_client) return tl::unexpected(by_client.error());
  if (!*by_client) {
    audit_.record("recovery.throttled", std::nullopt, std::nullopt, client, "too many requests from this address");
    return RecoveryThrottled{};
  }
  // The target is counted under a keyed hash: the limits table never holds
  // identifiers or addresses, known or not.
  auto folded = ascii_lower(trim(target));
  FlowData data;
  data.target_key = "recovery:target:" + secrets_.digest("rate-target", folded);
  auto by_target = limiter_.allow(data.target_key, settings_.per_target);
  if (!by_target) return tl::unexpected(by_target.error());

  auto accounts = accounts_for(target);
  if (!accounts) return tl::unexpected(accounts.error());

  auto now = clock_.now();
  RecoveryStarted started{random_.token(32), now + settings_.lifetime};
  FlowEnvelope flow;
  flow.id_hash = secrets_.digest("flow", started.flow_token);
  flow.kind = FlowKind::Recovery;
  flow.state = to_string(RecoveryState::CodeSent);
  flow.created_at = now;
  flow.expires_at = started.expires_at;
  data.last_sent = to_unix(now);

  std::vector<TokenIssue> issues;
  std::vector<OutboundMessage> notices;
  if (*by_target) {
    for (auto& a : *accounts) {
      data.accounts.push_back(a.id);
      issues.push_back(issue_for(a, lang, now));
    }
    auto email = normalize_email(target);
    if (accounts->empty() && !email) {
      // An unknown identifier has no mailbox to write to. Do the work a
      // known one costs anyway (tokens drawn, message composed, then
      // dropped), so that the answer's timing does not tell them apart.
      Account decoy;
      decoy.identifier = std::string(target.substr(0, 64));
      decoy.email = "decoy@invalid";
      (void)issue_for(decoy, lang, now);
    }
    if (accounts->empty() && email) {
      // Tell the owner of an unknown address that someone asked: it reveals
      // nothing to the asker and saves the owner from waiting for nothing.
      auto m = composer_.message("recovery.password_unknown", lang,
                                 boost::json::object{{"email", *email},
                                                     {"assistance", settings_.public_url + "/assistance"}},
                                 MessageChannel::Email, *email, std::nullopt, now);
      notices.push_back(std::move(m));
    }
  }
  flow.data = encode(data);
  auto saved = store_.save(flow, "", issues, notices);
  if (!saved) return tl::unexpected(saved.error());
  if (!saved->empty() && wake_outbox_) wake_outbox_();

  if (!*by_target) {
    audit_.record("recovery.throttled", std::nullopt, accounts->empty() ? std::nullopt : std::optional(accounts->front().id),
                  client, "too many requests for this target");
  } else if (accounts->empty()) {
    audit_.record("recovery.requested", std::nullopt, std::nullopt, client, "no matching account");
  } else {
    for (auto& a : *accounts) audit_.record("recovery.requested", std::nullopt, a.id, client, "message queued");
  }
  return started;
}

Result<FlowEnvelope> RecoveryService::load(std::string_view flow_token) {
  if (flow_token.empty() || flow_token.size() > 128) return fail(ErrorCode::NotFound, "no recovery flow");
  auto flow = flows_.find(FlowKind::Recovery, secrets_.digest("flow", flow_token));
  if (!flow) return flow;
  if (flow->is_expired(clock_.now())) return fail(ErrorCode::Expired, "recovery flow expired");
  return flow;
}

Result<RecoveryStatus> RecoveryService::status(std::string_view flow_token) {
  auto flow = load(flow_token);
  if (!flow) return tl::unexpected(flow.error());
  auto data = decode(flow->data);
  RecoveryStatus s;
  s.expires_at = flow->expires_at;
  s.resend_at = from_unix(data.last_sent) + settings_.resend_cooldown;
  s.attempts_left = std::max(0, settings_.max_code_attempts - flow->attempts);
  s.locked = flow->state == to_string(RecoveryState::Locked);
  return s;
}

Result<ResendOutcome> RecoveryService::resend(std::string_view flow_token, std::string_view lang_in,
                                              const ClientInfo& client) {
  auto lang = lang_or_default(lang_in);
  auto flow = load(flow_token);
  if (!flow) return tl::unexpected(flow.error());
  if (flow->state != to_string(RecoveryState::CodeSent)) return fail(ErrorCode::FlowStateInvalid, "flow locked");
  auto data = decode(flow->data);
  auto now = clock_.now();
  auto resend_at = from_unix(data.last_sent) + settings_.resend_cooldown;
  if (now < resend_at) return ResendTooSoon{resend_at};
  auto by_client = limiter_.allow("recovery:client:" + client.ip, settings_.per_client);
  if (!by_client) return tl::unexpected(by_client.error());
  if (!*by_client) return RecoveryThrottled{};
  // The hourly cap is the target's: resending counts like asking again.
  auto by_target = limiter_.allow(data.target_key, settings_.per_target);
  if (!by_target) return tl::unexpected(by_target.error());

  std::vector<TokenIssue> issues;
  if (*by_target) {
    for (auto id : data.accounts) {
      auto account = accounts_.find_by_id(id);
      if (account && account->status == AccountStatus::Active) issues.push_back(issue_for(*account, lang, now));
    }
  }
  FlowEnvelope next = *flow;
  next.expires_at = now + settings_.lifetime;
  data.last_sent = to_unix(now);
  next.data = encode(data);
  auto saved = store_.save(next, flow->state, issues, {});
  if (!saved) return tl::unexpected(saved.error());
  if (!saved->empty() && wake_outbox_) wake_outbox_();
  for (auto& issue : issues) audit_.record("recovery.resent", std::nullopt, issue.account, client);
  return Resent{next.expires_at};
}

Result<OneTimeToken> RecoveryService::usable_token(RecoverySecret kind, std::string_view secret) {
  if (secret.empty() || secret.size() > 128) return fail(ErrorCode::NotFound, "no such token");
  auto token = store_.find_token(hash_secret(kind, secret));
  if (!token) return token;
  if (token->purpose != (kind == RecoverySecret::Link ? kLinkPurpose : kCodePurpose))
    return fail(ErrorCode::NotFound, "token of another kind");
  if (token->used_at) return fail(ErrorCode::NotFound, "token used or revoked");
  if (!token->is_usable(clock_.now())) return fail(ErrorCode::Expired, "token expired");
  return token;
}

Result<bool> RecoveryService::count_typed_code(const ClientInfo& client, std::optional<AccountId> about) {
  // take(): counted before the code is checked, so parallel guesses from one
  // address each use one try; once the window is full nothing more counts.
  auto allowed = limiter_.take("recovery:code:client:" + client.ip, settings_.per_client);
  if (!allowed) return tl::unexpected(allowed.error());
  if (!*allowed) audit_.record("recovery.throttled", std::nullopt, about, client, "too many codes typed from this address");
  return *allowed;
}

Result<CodeOutcome> RecoveryService::check_code(std::string_view flow_token, std::string_view code,
                                                const ClientInfo& client) {
  auto flow = load(flow_token);
  if (!flow) return tl::unexpected(flow.error());
  auto data = decode(flow->data);
  auto about = data.accounts.size() == 1 ? std::optional(data.accounts[0]) : std::nullopt;
  if (flow->state != to_string(RecoveryState::CodeSent)) {
    audit_.record("recovery.code_rejected", std::nullopt, about, client, "no try left on this request");
    return CodeRejected{0};
  }
  auto by_client = count_typed_code(client, about);
  if (!by_client) return tl::unexpected(by_client.error());
  if (!*by_client) return RecoveryThrottled{};
  // The request's tries, counted in one statement (… WHERE attempts < max):
  // of parallel wrong codes at most max_code_attempts are ever checked.
  auto counted = flows_.count_attempt(FlowKind::Recovery, flow->id_hash, settings_.max_code_attempts);
  auto lock = [&] {
    FlowEnvelope locked = *flow;
    locked.state = to_string(RecoveryState::Locked);
    // Another request may have locked it first; transitions never lower attempts.
    (void)flows_.transition(locked, to_string(RecoveryState::CodeSent));
  };
  if (!counted) {
    if (counted.error().code != ErrorCode::FlowStateInvalid) return tl::unexpected(counted.error());
    lock();
    audit_.record("recovery.code_rejected", std::nullopt, about, client, "no try left on this request");
    return CodeRejected{0};
  }
  auto token = usable_token(RecoverySecret::Code, code);
  // The code must be one this flow's request produced: a code from another
  // browser's request is as wrong as a mistyped one.
  if (token && std::find(data.accounts.begin(), data.accounts.end(), token->account) != data.accounts.end()) {
    auto account = accounts_.find_by_id(token->account);
    if (!account) return tl::unexpected(account.error());
    return CodeAccepted{normalize_code(code), account->identifier};
  }
  if (!token && token.error().code != ErrorCode::NotFound && token.error().code != ErrorCode::Expired)
    return tl::unexpected(token.error());
  if (*counted >= settings_.max_code_attempts) lock();
  audit_.record("recovery.code_rejected", std::nullopt, about, client, "attempt " + std::to_string(*counted));
  return CodeRejected{std::max(0, settings_.max_code_attempts - *counted)};
}

Result<ResetTarget> RecoveryService::check_secret(RecoverySecret kind, std::string_view secret) {
  auto token = usable_token(kind, secret);
  if (!token) return tl::unexpected(token.error());
  auto account = accounts_.find_by_id(token->account);
  if (!account) return tl::unexpected(account.error());
  return ResetTarget{account->identifier, token->expires_at};
}

Result<ResetOutcome> RecoveryService::reset_password(RecoverySecret kind, std::string_view secret,
                                                     std::string_view password, std::string_view confirmation,
                                                     std::string_view lang_in, const ClientInfo& client) {
  auto lang = lang_or_default(lang_in);
  if (kind == RecoverySecret::Code) {
    auto by_client = count_typed_code(client, std::nullopt);
    if (!by_client) return tl::unexpected(by_client.error());
    if (!*by_client) return RecoveryThrottled{};
  }
  auto token = usable_token(kind, secret);
  if (!token) {
    if (kind == RecoverySecret::Code && token.error().code == ErrorCode::NotFound)
      audit_.record("recovery.code_rejected", std::nullopt, std::nullopt, client, "on the new password form");
    return tl::unexpected(token.error());
  }
  auto account = accounts_.find_by_id(token->account);
  if (!account) return tl::unexpected(account.error());
  if (account->status != AccountStatus::Active) return fail(ErrorCode::NotFound, "account not active");

  auto choice = choose_password(policy_, password, confirmation, password_context(*account, settings_.portal_name));
  if (!choice.ok()) return ResetPasswordRejected{choice.encoded()};
  auto& checked = choice.normalized;
  auto hash = hasher_.hash(*checked);
  if (!hash) return tl::unexpected(hash.error());

  auto now = clock_.now();
  auto notice = composer_.message("password.changed", lang,
                                  boost::json::object{{"display_name", account->display_name},
                                                      {"identifier", account->identifier},
                                                      {"when", format_local_time(now, lang)},
                                                      {"recovery", settings_.public_url + "/mot-de-passe-oublie"},
                                                      {"assistance", settings_.public_url + "/assistance"}},
                                  MessageChannel::Email, account->email, account->id, now);
  auto done = store_.complete_reset(token->hash, account->id, *hash, now, notice);
  if (!done) {
    // Spent by a concurrent submission between our check and our write.
    if (done.error().code == ErrorCode::FlowStateInvalid) return fail(ErrorCode::NotFound, done.error().detail);
    return tl::unexpected(done.error());
  }
  if (wake_outbox_) wake_outbox_();
  audit_.record("password.reset", account->id, account->id, client,
                kind == RecoverySecret::Link ? "by emailed link" : "by emailed code");
  return PasswordReset{account->id};
}

}  // namespace portier
