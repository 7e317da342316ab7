#include "flow/activation/activation_service.h"
#include "flow/password_choice.h"

#include <boost/json.hpp>

#include "account/account_lookup.h"
#include "flow/recovery/link_and_code.h"
#include "account/identifiers.h"
#include "common/encoding.h"
#include "common/time_format.h"
#include "flow/recovery/recovery_service.h"
#include "flow/sign_in/sign_in_service.h"

namespace portier {

namespace {

constexpr const char* kLinkPurpose = "invitation_link";
constexpr const char* kCodePurpose = "invitation_code";

std::string lang_or_default(std::string_view lang) { return lang == "en" ? "en" : "fr"; }

}  // namespace

ActivationService::ActivationService(AccountStore& accounts, TokenFlowStore& tokens, ActivationStore& store,
                                     RateLimiter& limiter, const MessageComposer& composer,
                                     const PasswordHasher& hasher, const PasswordPolicy& policy, AuditLog& audit,
                                     const SecretHasher& secrets, Random& random, const Clock& clock,
                                     std::function<void()> wake_outbox, ActivationSettings settings,
                                     FlowStore* code_entries, OutboxStore* outbox)
    : accounts_(accounts),
      tokens_(tokens),
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
      settings_(std::move(settings)),
      code_entries_(code_entries),
      outbox_(outbox) {}

TokenIssue ActivationService::issue_for(const Account& account, std::string_view lang, TimePoint now) {
  auto expires = now + settings_.invitation_lifetime;
  auto drawn = draw_link_and_code(random_, secrets_, kLinkPurpose, kCodePurpose, account.id, now, expires);
  const auto& link = drawn.link;
  const auto& code = drawn.code;
  TokenIssue issue;
  issue.account = account.id;
  issue.tokens = std::move(drawn.tokens);
  issue.message = composer_.message(
      "account.invitation", lang,
      boost::json::object{{"display_name", account.display_name},
                          {"identifier", account.identifier},
                          {"link", settings_.public_url + "/premiere-connexion/activer?jeton=" + link},
                          {"code_page", settings_.public_url + "/premiere-connexion/code"},
                          {"code", group_code(code)},
                          {"expires", format_local_time(expires, lang)},
                          {"days", settings_.invitation_lifetime.count() / 86400},
                          {"first_connection", settings_.public_url + "/premiere-connexion"},
                          {"assistance", settings_.public_url + "/assistance"}},
      MessageChannel::Email, account.email, account.id, now);
  return issue;
}

Result<Invited> ActivationService::invite(const Account& account, std::string_view lang_in,
                                          std::optional<AccountId> actor, const ClientInfo& client) {
  if (account.status != AccountStatus::Pending) return fail(ErrorCode::FlowStateInvalid, "account is not pending");
  auto now = clock_.now();
  auto issue = issue_for(account, lang_or_default(lang_in), now);
  auto saved = store_.issue(issue, now);
  if (!saved) return tl::unexpected(saved.error());
  if (wake_outbox_) wake_outbox_();
  audit_.record("account.invited", actor, account.id, client, "valid until " + format_utc(issue.tokens[0].expires_at));
  return Invited{account.id, issue.tokens[0].expires_at};
}

Result<void> ActivationService::tell_already_active(const Account& account, std::string_view lang,
                                                     const ClientInfo& client) {
  if (!outbox_) return {};
  auto now = clock_.now();
  auto m = composer_.message("account.already_active", lang,
                             boost::json::object{{"display_name", account.display_name},
                                                 {"identifier", account.identifier},
                                                 {"sign_in", settings_.public_url + "/connexion"},
                                                 {"reset", settings_.public_url + "/mot-de-passe-oublie"},
                                                 {"assistance", settings_.public_url + "/assistance"}},
                             MessageChannel::Email, account.email, account.id, now);
  auto queued = outbox_->enqueue(m);
  if (!queued) return tl::unexpected(queued.error());
  if (wake_outbox_) wake_outbox_();
  audit_.record("activation.already_active", std::nullopt, account.id, client, "told by mail");
  return {};
}

Result<InvitationRequestOutcome> ActivationService::request_again(std::string_view target, std::string_view lang_in,
                                                                  const ClientInfo& client) {
  auto lang = lang_or_default(lang_in);
  auto by_client = limiter_.allow("activation:client:" + client.ip, settings_.per_client);
  if (!by_client) return tl::unexpected(by_client.error());
  if (!*by_client) {
    audit_.record("activation.throttled", std::nullopt, std::nullopt, client, "too many requests from this address");
    return ActivationThrottled{};
  }
  // Counted under a keyed hash: the limits table never holds identifiers.
  auto key = "activation:target:" + secrets_.digest("rate-target", ascii_lower(trim(target)));
  auto by_target = limiter_.allow(key, settings_.per_target);
  if (!by_target) return tl::unexpected(by_target.error());
  auto accounts = find_by_identifier_or_email(accounts_, target);
  if (!accounts) return tl::unexpected(accounts.error());
  // Pending accounts get an invitation, active ones are told they are
  // active; disabled ones nothing. The answer is the same for all.
  std::erase_if(*accounts, [](const Account& a) {
    return a.status != AccountStatus::Pending && a.status != AccountStatus::Active;
  });
  auto now = clock_.now();
  if (!*by_target) {
    // Same answer as a success: the limit of a target must not tell that it exists.
    audit_.record("activation.throttled", std::nullopt, std::nullopt, client, "too many requests for this target");
    return InvitationRequested{};
  }
  if (accounts->empty()) {
    // Draw and compose anyway, then drop: the answer's timing stays the same.
    Account decoy;
    decoy.identifier = std::string(target.substr(0, 64));
    decoy.email = "decoy@invalid";
    (void)issue_for(decoy, lang, now);
    audit_.record("activation.requested", std::nullopt, std::nullopt, client, "no pending account");
    return InvitationRequested{};
  }
  for (auto& a : *accounts) {
    if (a.status == AccountStatus::Active) {
      if (auto told = tell_already_active(a, lang, client); !told) return tl::unexpected(told.error());
      continue;
    }
    auto sent = invite(a, lang, std::nullopt, client);
    if (!sent) return tl::unexpected(sent.error());
  }
  return InvitationRequested{};
}

Result<OneTimeToken> ActivationService::usable_token(ActivationSecret kind, std::string_view secret) {
  if (secret.empty() || secret.size() > 128) return fail(ErrorCode::NotFound, "no such token");
  auto hash = kind == ActivationSecret::Link ? secrets_.digest(kLinkPurpose, secret)
                                             : secrets_.digest(kCodePurpose, normalize_code(secret));
  auto token = tokens_.find_token(hash);
  if (!token) return token;
  if (token->purpose != (kind == ActivationSecret::Link ? kLinkPurpose : kCodePurpose))
    return fail(ErrorCode::NotFound, "token of another kind");
  if (token->used_at) return fail(ErrorCode::NotFound, "token used or revoked");
  if (!token->is_usable(clock_.now())) return fail(ErrorCode::Expired, "token expired");
  return token;
}

Result<Account> ActivationService::pending_account_of(const OneTimeToken& token) {
  auto account = accounts_.find_by_id(token.account);
  if (!account) return account;
  // Activated meanwhile (a temporary password from support) or disabled:
  // the invitation has nothing left to do.
  if (account->status != AccountStatus::Pending) return fail(ErrorCode::NotFound, "account not pending");
  return account;
}

Result<ActivationTarget> ActivationService::check(ActivationSecret kind, std::string_view secret) {
  auto token = usable_token(kind, secret);
  if (!token) return tl::unexpected(token.error());
  auto account = pending_account_of(*token);
  if (!account) return tl::unexpected(account.error());
  return ActivationTarget{account->identifier, token->expires_at};
}

Result<bool> ActivationService::count_typed_code(const ClientInfo& client) {
  // take(): counted before the code is checked; refusals count nothing more.
  auto allowed = limiter_.take("activation:code:" + client.ip, settings_.per_client);
  if (!allowed) return tl::unexpected(allowed.error());
  if (!*allowed)
    audit_.record("activation.throttled", std::nullopt, std::nullopt, client, "too many codes from this address");
  return *allowed;
}

Result<FlowEnvelope> ActivationService::code_entry(std::string& entry_token) {
  auto now = clock_.now();
  if (!entry_token.empty() && entry_token.size() <= 128) {
    auto found = code_entries_->find(FlowKind::Activation, secrets_.digest("flow", entry_token));
    if (found && !found->is_expired(now)) return found;
    if (!found && found.error().code != ErrorCode::NotFound) return found;
  }
  // Opened by the POST of a code, never by showing the page (GET changes nothing).
  entry_token = random_.token(32);
  FlowEnvelope f;
  f.id_hash = secrets_.digest("flow", entry_token);
  f.kind = FlowKind::Activation;
  f.state = "code_entry";
  f.created_at = now;
  f.expires_at = now + settings_.code_entry_lifetime;
  if (auto created = code_entries_->create(f); !created) return tl::unexpected(created.error());
  return f;
}

Result<ActivationCodeOutcome> ActivationService::submit_code(std::string& entry_token, std::string_view code,
                                                             const ClientInfo& client) {
  auto by_client = count_typed_code(client);
  if (!by_client) return tl::unexpected(by_client.error());
  if (!*by_client) return ActivationThrottled{};
  int left = settings_.max_code_attempts;
  if (code_entries_) {
    auto entry = code_entry(entry_token);
    if (!entry) return tl::unexpected(entry.error());
    // The request's tries, in one statement (… WHERE attempts < max): of
    // parallel codes at most max_code_attempts are ever checked.
    auto counted = code_entries_->count_attempt(FlowKind::Activation, entry->id_hash, settings_.max_code_attempts);
    if (!counted) {
      if (counted.error().code != ErrorCode::FlowStateInvalid) return tl::unexpected(counted.error());
      audit_.record("activation.code_rejected", std::nullopt, std::nullopt, client, "no try left on this request");
      return ActivationCodeRejected{0};
    }
    left = settings_.max_code_attempts - *counted;
  }
  auto target = check(ActivationSecret::Code, code);
  if (target) return *target;
  if (target.error().code == ErrorCode::NotFound || target.error().code == ErrorCode::Expired) {
    audit_.record("activation.code_rejected", std::nullopt, std::nullopt, client, target.error().detail);
    return ActivationCodeRejected{left};
  }
  return tl::unexpected(target.error());
}

Result<ActivateOutcome> ActivationService::activate(ActivationSecret kind, std::string_view secret,
                                                    std::string_view password, std::string_view confirmation,
                                                    const ClientInfo& client) {
  // The password form can be posted without the code page: a code there
  // counts against the address the same way.
  if (kind == ActivationSecret::Code) {
    auto by_client = count_typed_code(client);
    if (!by_client) return tl::unexpected(by_client.error());
    if (!*by_client) return ActivationThrottled{};
  }
  auto token = usable_token(kind, secret);
  if (!token) {
    if (kind == ActivationSecret::Code && token.error().code == ErrorCode::NotFound)
      audit_.record("activation.code_rejected", std::nullopt, std::nullopt, client, "on the password form");
    return tl::unexpected(token.error());
  }
  auto account = pending_account_of(*token);
  if (!account) return tl::unexpected(account.error());
  auto choice = choose_password(policy_, password, confirmation, password_context(*account, settings_.portal_name));
  if (!choice.ok()) return ActivationPasswordRejected{choice.encoded()};
  auto& checked = choice.normalized;
  auto hash = hasher_.hash(*checked);
  if (!hash) return tl::unexpected(hash.error());
  auto done = store_.complete_activation(token->hash, account->id, *hash, clock_.now());
  if (!done) {
    // Spent by a concurrent submission between our check and our write.
    if (done.error().code == ErrorCode::FlowStateInvalid) return fail(ErrorCode::NotFound, done.error().detail);
    return tl::unexpected(done.error());
  }
  audit_.record("account.activated", account->id, account->id, client,
                kind == ActivationSecret::Link ? "by invitation link" : "by invitation code");
  return Activated{account->id};
}

}  // namespace portier
