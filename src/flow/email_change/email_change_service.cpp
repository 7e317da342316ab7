#include "flow/email_change/email_change_service.h"

#include <boost/json.hpp>

#include "account/identifiers.h"
#include "account/masking.h"
#include "common/encoding.h"
#include "common/time_format.h"
#include "flow/recovery/link_and_code.h"
#include "flow/recovery/recovery_service.h"

namespace portier {

namespace {

constexpr const char* kPending = "pending";
constexpr const char* kCompleted = "completed";
constexpr const char* kCancelled = "cancelled";

// Flow data: the addresses, when the last request was mailed, who asked
// (an agent, or the member from a session that stays signed in at the
// switch) and the language of the mails.
struct FlowData {
  std::string new_email;
  std::string old_email;
  std::int64_t last_sent = 0;
  std::int64_t agent = 0;
  std::string session;
  std::string lang = "fr";
};

std::string encode(const FlowData& d) {
  return boost::json::serialize(boost::json::object{{"new_email", d.new_email},
                                                    {"old_email", d.old_email},
                                                    {"last_sent", d.last_sent},
                                                    {"agent", d.agent},
                                                    {"session", d.session},
                                                    {"lang", d.lang}});
}

FlowData decode(const std::string& text) {
  FlowData d;
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return d;
  auto& o = v.as_object();
  auto str = [&](const char* k, std::string& out) {
    if (auto* x = o.if_contains(k); x && x->is_string()) out = std::string(x->as_string());
  };
  auto num = [&](const char* k, std::int64_t& out) {
    if (auto* x = o.if_contains(k); x && x->is_int64()) out = x->as_int64();
  };
  str("new_email", d.new_email);
  str("old_email", d.old_email);
  num("last_sent", d.last_sent);
  num("agent", d.agent);
  str("session", d.session);
  str("lang", d.lang);
  return d;
}

std::string lang_or_default(std::string_view lang) { return lang == "en" ? "en" : "fr"; }

}  // namespace

EmailChangeService::EmailChangeService(AccountStore& accounts, FlowStore& flows, EmailChangeStore& store,
                                       Reauthentication& reauth, const MessageComposer& composer, AuditLog& audit,
                                       const SecretHasher& secrets, Random& random, const Clock& clock,
                                       std::function<void()> wake_outbox, EmailChangeSettings settings)
    : accounts_(accounts),
      flows_(flows),
      store_(store),
      reauth_(reauth),
      composer_(composer),
      audit_(audit),
      secrets_(secrets),
      random_(random),
      clock_(clock),
      wake_outbox_(std::move(wake_outbox)),
      settings_(std::move(settings)) {}

// One flow per account, found without a cookie: a newer request replaces it.
std::string EmailChangeService::flow_hash(AccountId id) const {
  return secrets_.digest("email-change-flow", std::to_string(id));
}

Result<std::optional<FlowEnvelope>> EmailChangeService::pending_flow(AccountId id) {
  auto flow = flows_.find(FlowKind::EmailChange, flow_hash(id));
  if (!flow && flow.error().code == ErrorCode::NotFound) return std::optional<FlowEnvelope>();
  if (!flow) return tl::unexpected(flow.error());
  if (flow->state != kPending || flow->is_expired(clock_.now())) return std::optional<FlowEnvelope>();
  return std::optional<FlowEnvelope>(std::move(*flow));
}

Result<EmailChangeRequestOutcome> EmailChangeService::request(AccountId id, std::string_view new_email,
                                                              std::string_view password, std::string_view app_code,
                                                              std::string_view lang, const BrowserSession& browser,
                                                              const ClientInfo& client) {
  auto account = accounts_.find_by_id(id);
  if (!account) return tl::unexpected(account.error());
  FieldErrors errors;
  auto normalized = normalize_email(new_email);
  if (trim(new_email).empty()) errors["new_email"] = "required";
  else if (!normalized) errors["new_email"] = "invalid_email";
  else if (ascii_lower(*normalized) == ascii_lower(account->email)) errors["new_email"] = "email_same";
  auto checked = reauth_.check(*account, {password, app_code}, ReauthFactor::AppIfEnrolled, "email_change", client);
  if (!checked) return tl::unexpected(checked.error());
  if (auto stop = unless_passed(*checked, "email_password", "email_app_code")) {
    if (std::holds_alternative<ReauthLockedOut>(*stop)) return ReauthLockedOut{};
    errors.merge(std::get<Invalid>(*stop).errors);
  }
  if (!errors.empty()) return Invalid{std::move(errors)};
  return start(*account, *normalized, std::nullopt, {}, lang, browser.hash, client);
}

Result<EmailChangeRequestOutcome> EmailChangeService::request_by_staff(const Account& member,
                                                                       std::string_view new_email, AccountId agent,
                                                                       std::string_view reason, std::string_view lang,
                                                                       const ClientInfo& client) {
  auto normalized = normalize_email(new_email);
  if (!normalized) return Invalid{{{"email", trim(new_email).empty() ? "required" : "invalid_email"}}};
  if (ascii_lower(*normalized) == ascii_lower(member.email)) return Invalid{{{"email", "email_same"}}};
  return start(member, *normalized, agent, reason, lang, {}, client);
}

Result<EmailChangeRequestOutcome> EmailChangeService::start(const Account& member, const std::string& new_email,
                                                            std::optional<AccountId> agent, std::string_view reason,
                                                            std::string_view lang_in,
                                                            const std::string& requester_session,
                                                            const ClientInfo& client) {
  auto lang = lang_or_default(lang_in);
  auto now = clock_.now();
  auto previous = pending_flow(member.id);
  if (!previous) return tl::unexpected(previous.error());
  // Each request mails a stranger's address: the cooldown keeps a signed-in
  // member (or a hurried agent) from turning the portal into a mail cannon.
  if (*previous) {
    auto last = from_unix(decode((*previous)->data).last_sent);
    if (now < last + settings_.resend_cooldown) return Invalid{{{agent ? "email" : "new_email", "email_too_soon"}}};
  }
  auto expires = now + settings_.lifetime;
  auto drawn = draw_link_and_code(random_, secrets_, kEmailChangeLink, kEmailChangeCode, member.id, now, expires,
                                  static_cast<std::size_t>(settings_.code_length));
  auto cancel_link = random_.token(32);
  drawn.tokens.push_back(OneTimeToken{secrets_.digest(kEmailChangeCancel, cancel_link), kEmailChangeCancel, member.id,
                                      now, expires, std::nullopt});

  FlowData data{new_email, member.email, to_unix(now), agent.value_or(0), requester_session, lang};
  FlowEnvelope flow;
  flow.id_hash = flow_hash(member.id);
  flow.kind = FlowKind::EmailChange;
  flow.state = kPending;
  flow.account = member.id;
  flow.created_at = now;
  flow.expires_at = expires;
  flow.data = encode(data);

  auto hours = settings_.lifetime.count() / 3600;
  auto confirm = composer_.message(
      "email_change.confirm", lang,
      boost::json::object{{"display_name", member.display_name},
                          {"identifier", member.identifier},
                          {"link", settings_.public_url + "/changement-courriel/confirmer?jeton=" + drawn.link},
                          {"code", group_code(drawn.code)},
                          {"expires", format_local_time(expires, lang)},
                          {"hours", hours}},
      MessageChannel::Email, new_email, member.id, now);
  // The old address hears of it before anything changes: whoever stole a
  // session and the password cannot move the account away in silence.
  auto told = composer_.message(
      "email_change.requested", lang,
      boost::json::object{{"display_name", member.display_name},
                          {"identifier", member.identifier},
                          {"masked_new_email", mask_email(new_email)},
                          {"by_staff", agent.has_value()},
                          {"cancel", settings_.public_url + "/changement-courriel/pas-moi?jeton=" + cancel_link},
                          {"expires", format_local_time(expires, lang)},
                          {"recovery", settings_.public_url + "/mot-de-passe-oublie"},
                          {"assistance", settings_.public_url + "/assistance"}},
      MessageChannel::Email, member.email, member.id, now);
  if (auto r = store_.start(flow, drawn.tokens, {confirm, told}); !r) return tl::unexpected(r.error());
  if (wake_outbox_) wake_outbox_();
  auto detail = mask_email(member.email) + " -> " + mask_email(new_email);
  if (agent)
    audit_.record("support.email_change_requested", *agent, member.id, client,
                  detail + "; reason: " + std::string(reason));
  else
    audit_.record("email_change.requested", member.id, member.id, client, detail);
  return EmailChangeRequested{new_email, expires};
}

Result<std::optional<PendingEmailChange>> EmailChangeService::pending(AccountId id) {
  auto flow = pending_flow(id);
  if (!flow) return tl::unexpected(flow.error());
  if (!*flow) return std::optional<PendingEmailChange>();
  auto data = decode((*flow)->data);
  return std::optional<PendingEmailChange>(PendingEmailChange{
      data.new_email, (*flow)->expires_at, std::max(0, settings_.max_code_attempts - (*flow)->attempts),
      data.agent != 0});
}

Result<OneTimeToken> EmailChangeService::usable_token(std::string_view purpose, std::string_view hash) {
  auto token = store_.find_token(hash);
  if (!token) return token;
  if (token->purpose != purpose) return fail(ErrorCode::NotFound, "token of another kind");
  if (token->used_at) return fail(ErrorCode::NotFound, "token used or revoked");
  if (!token->is_usable(clock_.now())) return fail(ErrorCode::Expired, "token expired");
  return token;
}

Result<EmailConfirmOutcome> EmailChangeService::confirm_code(AccountId id, std::string_view typed,
                                                             const BrowserSession& browser,
                                                             const ClientInfo& client) {
  auto flow = pending_flow(id);
  if (!flow) return tl::unexpected(flow.error());
  if (!*flow) return fail(ErrorCode::NotFound, "no pending email change");
  // Counted before the code is looked at, in one statement: parallel guesses
  // cannot exceed the allowance.
  auto counted = flows_.count_attempt(FlowKind::EmailChange, (*flow)->id_hash, settings_.max_code_attempts);
  if (!counted) {
    if (counted.error().code == ErrorCode::FlowStateInvalid) return EmailCodeWrong{0};
    return tl::unexpected(counted.error());
  }
  auto code = normalize_code(typed);
  auto token = code.empty() || code.size() > 64
                   ? Result<OneTimeToken>(fail(ErrorCode::NotFound, "no code"))
                   : usable_token(kEmailChangeCode, secrets_.digest(kEmailChangeCode, code));
  if (!token || token->account != id) {
    if (!token && token.error().code != ErrorCode::NotFound && token.error().code != ErrorCode::Expired)
      return tl::unexpected(token.error());
    audit_.record("email_change.code_rejected", id, id, client, "attempt " + std::to_string(*counted));
    return EmailCodeWrong{std::max(0, settings_.max_code_attempts - *counted)};
  }
  auto done = complete(**flow, token->hash, browser, client, "by code");
  if (!done && done.error().code == ErrorCode::FlowStateInvalid) return EmailCodeWrong{0};
  if (!done) return tl::unexpected(done.error());
  return *done;
}

Result<EmailChangeService::LinkedChange> EmailChangeService::linked_change(std::string_view purpose,
                                                                          std::string_view link) {
  if (link.empty() || link.size() > 128) return fail(ErrorCode::NotFound, "no link");
  auto token = usable_token(purpose, secrets_.digest(purpose, link));
  if (!token) return tl::unexpected(token.error());
  auto flow = pending_flow(token->account);
  if (!flow) return tl::unexpected(flow.error());
  if (!*flow) return fail(ErrorCode::NotFound, "no pending email change");
  return LinkedChange{std::move(*token), std::move(**flow)};
}

Result<EmailChangeLinkView> EmailChangeService::link_view(std::string_view purpose, std::string_view link) {
  auto linked = linked_change(purpose, link);
  if (!linked) return tl::unexpected(linked.error());
  auto account = accounts_.find_by_id(linked->token.account);
  if (!account) return tl::unexpected(account.error());
  return EmailChangeLinkView{account->identifier, mask_email(decode(linked->flow.data).new_email),
                             linked->token.expires_at};
}

Result<EmailChangeLinkView> EmailChangeService::check_link(std::string_view link) {
  return link_view(kEmailChangeLink, link);
}

Result<EmailChanged> EmailChangeService::confirm_link(std::string_view link, const BrowserSession& browser,
                                                      const ClientInfo& client) {
  auto linked = linked_change(kEmailChangeLink, link);
  if (!linked) return tl::unexpected(linked.error());
  auto done = complete(linked->flow, linked->token.hash, browser, client, "by link");
  // Spent by a concurrent confirmation between our check and our write.
  if (!done && done.error().code == ErrorCode::FlowStateInvalid) return fail(ErrorCode::NotFound, "link spent");
  return done;
}

Result<EmailChanged> EmailChangeService::complete(const FlowEnvelope& flow, const std::string& token_hash,
                                                  const BrowserSession& browser, const ClientInfo& client,
                                                  const char* how) {
  auto id = *flow.account;
  auto account = accounts_.find_by_id(id);
  if (!account) return tl::unexpected(account.error());
  auto data = decode(flow.data);
  auto now = clock_.now();
  // The browser that confirms keeps its session when it is this account's;
  // otherwise the one that asked does. Every other session ends: one opened
  // before the change is not trusted with the new recovery address.
  auto keep = browser.account == id && !browser.hash.empty() ? browser.hash : data.session;
  auto notice = composer_.message("email_change.done", data.lang,
                                  boost::json::object{{"display_name", account->display_name},
                                                      {"identifier", account->identifier},
                                                      {"masked_new_email", mask_email(data.new_email)},
                                                      {"when", format_local_time(now, data.lang)},
                                                      {"assistance", settings_.public_url + "/assistance"}},
                                  MessageChannel::Email, account->email, id, now);
  FlowEnvelope done = flow;
  done.state = kCompleted;
  auto ended = store_.complete(done, kPending, token_hash, data.new_email, keep, now, {notice});
  if (!ended) return tl::unexpected(ended.error());
  if (wake_outbox_) wake_outbox_();
  audit_.record("email_change.completed", id, id, client,
                mask_email(account->email) + " -> " + mask_email(data.new_email) + "; " + how +
                    "; other sessions ended: " + std::to_string(*ended) +
                    "; recovery links and invitations revoked");
  return EmailChanged{*ended};
}

Result<EmailChangeLinkView> EmailChangeService::check_cancel_link(std::string_view link) {
  return link_view(kEmailChangeCancel, link);
}

Result<void> EmailChangeService::cancel_by_link(std::string_view link, const ClientInfo& client) {
  auto linked = linked_change(kEmailChangeCancel, link);
  if (!linked) return tl::unexpected(linked.error());
  FlowEnvelope next = linked->flow;
  next.state = kCancelled;
  if (auto r = store_.cancel(next, kPending, linked->token.hash, clock_.now()); !r) {
    if (r.error().code == ErrorCode::FlowStateInvalid) return fail(ErrorCode::NotFound, "already settled");
    return r;
  }
  audit_.record("email_change.cancelled", std::nullopt, linked->token.account, client,
                "by the old address (this was not me): " + mask_email(decode(next.data).new_email));
  return {};
}

Result<bool> EmailChangeService::cancel(AccountId id, std::optional<AccountId> agent, std::string_view reason,
                                        const ClientInfo& client) {
  auto flow = pending_flow(id);
  if (!flow) return tl::unexpected(flow.error());
  if (!*flow) return false;
  FlowEnvelope next = **flow;
  next.state = kCancelled;
  if (auto r = store_.cancel(next, kPending, {}, clock_.now()); !r) {
    if (r.error().code == ErrorCode::FlowStateInvalid) return false;
    return tl::unexpected(r.error());
  }
  auto masked = mask_email(decode(next.data).new_email);
  if (agent)
    audit_.record("support.email_change_cancelled", *agent, id, client, masked + "; reason: " + std::string(reason));
  else
    audit_.record("email_change.cancelled", id, id, client, "by the member: " + masked);
  return true;
}

}  // namespace portier
