#include "flow/sign_in/sign_in_service.h"
#include "flow/password_choice.h"

#include "account/identifiers.h"
#include "flow/sign_in/sign_in_lookup.h"
#include "common/encoding.h"
#include "credential/temporary_password.h"

#include <boost/json.hpp>

namespace portier {

const char* to_string(SignInState s) {
  return s == SignInState::PasswordChangeRequired ? "password_change_required" : "completed";
}

std::vector<std::string> password_context(const Account& account, const std::string& portal_name) {
  std::vector<std::string> words{portal_name, account.identifier};
  auto at = account.email.find('@');
  words.push_back(account.email.substr(0, at));
  std::string word;
  for (char c : account.display_name + " ") {
    if (c == ' ' || c == '-' || c == '\'') {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  return words;
}

namespace {

// The factors recorded when the flow was opened; "pwd" for flows from before
// they were recorded (never more than what was proved).
std::string auth_methods_of(const FlowEnvelope& flow) {
  boost::system::error_code ec;
  auto v = boost::json::parse(flow.data, ec);
  if (ec || !v.is_object()) return "pwd";
  auto* m = v.as_object().if_contains("auth_methods");
  if (!m || !m->is_string() || m->as_string().empty()) return "pwd";
  return std::string(m->as_string());
}

}  // namespace

SignInService::SignInService(AccountStore& accounts, FlowStore& flows, SessionService& sessions,
                             const PasswordHasher& hasher, const PasswordPolicy& policy, AuditLog& audit,
                             const SecretHasher& secrets, Random& random, const Clock& clock, Metrics& metrics,
                             SignInGuard& guard, DeviceTrust& devices, SuspensionNotice on_suspended,
                             SignInSettings settings, SecondStepService* second_step, SignInGate* gate)
    : accounts_(accounts),
      flows_(flows),
      sessions_(sessions),
      hasher_(hasher),
      policy_(policy),
      audit_(audit),
      secrets_(secrets),
      random_(random),
      clock_(clock),
      metrics_(metrics),
      guard_(guard),
      devices_(devices),
      on_suspended_(std::move(on_suspended)),
      settings_(std::move(settings)),
      second_step_(second_step),
      gate_(gate) {}

Result<SignInOutcome> SignInService::suspended(std::optional<AccountId> target, const ClientInfo& client,
                                               const Suspension& s, const char* why) {
  audit_.record(s.until_reset ? "sign_in.locked" : "sign_in.suspended", std::nullopt, target, client, why);
  metrics_.count_sign_in(s.until_reset ? "locked" : "suspended");
  return s;
}

Rejected SignInService::reject(std::optional<AccountId> target, const ClientInfo& client, const char* why) {
  // Unknown identifiers are audited too, so both paths write the same row.
  audit_.record("sign_in.failure", std::nullopt, target, client, why);
  metrics_.count_sign_in("failure");
  return Rejected{RejectReason::InvalidCredentials};
}

Result<SignInOutcome> SignInService::submit_password(std::string_view identifier, std::string_view password,
                                                     const ClientInfo& client, std::string_view device_cookie,
                                                     bool insist_on_second_step) {
  auto normalized_password = normalize_password(password);
  auto found = find_sign_in_account(accounts_, identifier);
  if (!found) return tl::unexpected(found.error());
  std::optional<Account> account = std::move(found->account);
  std::optional<AccountId> target = account ? std::optional(account->id) : std::nullopt;
  // The counters' key: the account's own identifier whichever of identifier
  // and address was typed (alternating them buys no extra attempts), or
  // what was typed when it names no account.
  const auto& typed = found->throttle_key;

  // Before anything is counted or hashed: an address in back-off, or an
  // account or address past its successes, costs us a few reads, not a hash.
  if (gate_) {
    auto refused = gate_->check(typed, client.ip);
    if (!refused) return tl::unexpected(refused.error());
    if (*refused) {
      audit_.record("sign_in.throttled", std::nullopt, target, client, (*refused)->why);
      metrics_.count_sign_in("throttled");
      return SignInThrottled{(*refused)->retry_after};
    }
  }

  // Counted before the password is checked, atomically: of 50 parallel wrong
  // attempts only `threshold` get as far as the hash.
  auto attempt = guard_.attempt(typed, target,
                                account ? devices_.nonce_for(device_cookie, account->id) : std::nullopt);
  auto refused = guard_.begin(attempt);
  if (!refused) return tl::unexpected(refused.error());
  if (*refused) return suspended(target, client, **refused, "attempt refused while suspended");

  auto failure = [&](const char* why) -> Result<SignInOutcome> {
    auto rejected = reject(target, client, why);
    rejected.failures_left = attempt.failures_left;
    auto engaged = guard_.failed(attempt);
    if (!engaged) return tl::unexpected(engaged.error());
    if (!*engaged) return rejected;
    if (account && on_suspended_) on_suspended_(*account, **engaged);
    return suspended(target, client, **engaged,
                     (*engaged)->until_reset ? "ceiling of consecutive failures reached" : "too many failures");
  };

  // Every path below costs exactly one argon2id verification.
  if (!account || account->password_hash.empty() || !normalized_password) {
    hasher_.verify_dummy(password);
    return failure(account ? "no usable password" : "unknown identifier");
  }
  // A temporary password read out by support counts in any case and spacing.
  if (account->password_is_temporary) normalized_password = canonical_temporary_password(*normalized_password);
  if (!hasher_.verify(account->password_hash, *normalized_password)) return failure("wrong password");
  if (auto ok = guard_.succeeded(attempt); !ok) return tl::unexpected(ok.error());
  if (gate_) {
    if (auto ok = gate_->succeeded(typed, client.ip); !ok) return tl::unexpected(ok.error());
  }

  if (account->status == AccountStatus::Disabled) {
    audit_.record("sign_in.refused", std::nullopt, account->id, client, "account disabled");
    metrics_.count_sign_in("disabled");
    return Rejected{RejectReason::AccountDisabled};
  }
  if (account->status != AccountStatus::Active) return reject(account->id, client, "account not activated");

  if (hasher_.needs_rehash(account->password_hash)) {
    // Parameters changed since this hash was made: upgrade it now that we
    // hold the password. The CAS keeps a concurrent password change intact.
    if (auto fresh = hasher_.hash(*normalized_password)) {
      if (accounts_.rehash_password(account->id, account->password_hash, *fresh)) account->password_hash = *fresh;
    }
  }

  if (account->password_is_temporary && account->password_expires_at && clock_.now() >= *account->password_expires_at) {
    audit_.record("sign_in.refused", std::nullopt, account->id, client, "temporary password expired");
    metrics_.count_sign_in("temporary_expired");
    return Rejected{RejectReason::TemporaryPasswordExpired};
  }
  if (second_step_) {
    auto needed = second_step_->required(*account);
    if (!needed) return tl::unexpected(needed.error());
    if (*needed || insist_on_second_step) {
      auto started = second_step_->begin(*account, client);
      if (!started) return tl::unexpected(started.error());
      metrics_.count_sign_in("second_step_required");
      return SecondStepRequired{started->flow_token, started->expires_at, account->identifier};
    }
  }
  auto next = authenticated(std::move(*account), client, device_cookie, "pwd");
  if (!next) return tl::unexpected(next.error());
  return std::visit([](auto&& v) -> SignInOutcome { return std::move(v); }, std::move(*next));
}

Result<std::variant<SignedIn, PasswordChangeRequired>> SignInService::authenticated(Account account,
                                                                                    const ClientInfo& client,
                                                                                    std::string_view device_cookie,
                                                                                    std::string auth_methods) {
  if (account.password_is_temporary) {
    auto now = clock_.now();
    if (account.password_expires_at && now >= *account.password_expires_at) {
      audit_.record("sign_in.refused", std::nullopt, account.id, client, "temporary password expired");
      metrics_.count_sign_in("temporary_expired");
      return fail(ErrorCode::Expired, "temporary password expired");
    }
    PasswordChangeRequired out;
    out.flow_token = random_.token(32);
    out.expires_at = now + settings_.flow_lifetime;
    out.identifier = account.identifier;
    FlowEnvelope flow;
    flow.id_hash = secrets_.digest("flow", out.flow_token);
    flow.kind = FlowKind::SignIn;
    flow.state = to_string(SignInState::PasswordChangeRequired);
    flow.account = account.id;
    flow.created_at = now;
    flow.expires_at = out.expires_at;
    // What the sign-in proved so far: the session opened after the change
    // records it (a temporary password and an app code is "pwd+app").
    flow.data = boost::json::serialize(boost::json::object{{"auth_methods", auth_methods}});
    if (auto r = flows_.create(flow); !r) return tl::unexpected(r.error());
    audit_.record("sign_in.password_change_required", account.id, account.id, client, auth_methods);
    metrics_.count_sign_in("password_change_required");
    return out;
  }
  auto done = complete(std::move(account), client, std::move(auth_methods));
  if (!done) return tl::unexpected(done.error());
  // The browser proved it knows the password: it becomes (or stays) a
  // trusted device for this account.
  done->device_cookie = devices_.remember(device_cookie, done->account.id);
  return std::move(*done);
}

Result<SecondStepOutcome> SignInService::submit_second_step(std::string_view flow_token, SecondStepMethod method,
                                                           std::string_view code, const ClientInfo& client,
                                                           std::string_view device_cookie) {
  if (!second_step_) return fail(ErrorCode::FlowStateInvalid, "no second step configured");
  auto checked = second_step_->check(flow_token, method, code, client);
  if (!checked) return tl::unexpected(checked.error());
  if (auto* rejected = std::get_if<SecondStepRejected>(&*checked)) return *rejected;
  auto account = accounts_.find_by_id(std::get<SecondStepPassed>(*checked).account);
  if (!account) return tl::unexpected(account.error());
  if (account->status != AccountStatus::Active) return fail(ErrorCode::FlowStateInvalid, "account no longer active");
  auto next = authenticated(std::move(*account), client, device_cookie, std::string("pwd+") + to_string(method));
  if (!next) return tl::unexpected(next.error());
  return std::visit([](auto&& v) -> SecondStepOutcome { return std::move(v); }, std::move(*next));
}

Result<SignedIn> SignInService::complete(Account account, const ClientInfo& client, std::string auth_methods) {
  auto session = sessions_.start(account.id, client, std::move(auth_methods));
  if (!session) return tl::unexpected(session.error());
  (void)accounts_.record_sign_in(account.id, clock_.now());
  audit_.record("sign_in.success", account.id, account.id, client);
  metrics_.count_sign_in("success");
  return SignedIn{std::move(account), std::move(*session)};
}

Result<FlowEnvelope> SignInService::pending_change(std::string_view flow_token) {
  if (flow_token.empty() || flow_token.size() > 128) return fail(ErrorCode::NotFound);
  auto flow = flows_.find(FlowKind::SignIn, secrets_.digest("flow", flow_token));
  if (!flow) return flow;
  if (flow->is_expired(clock_.now())) return fail(ErrorCode::Expired, "sign-in flow expired");
  if (flow->state != to_string(SignInState::PasswordChangeRequired) || !flow->account)
    return fail(ErrorCode::FlowStateInvalid);
  return flow;
}

Result<NewPasswordOutcome> SignInService::submit_new_password(std::string_view flow_token, std::string_view password,
                                                              std::string_view confirmation,
                                                              const ClientInfo& client) {
  auto flow = pending_change(flow_token);
  if (!flow) return tl::unexpected(flow.error());
  auto account = accounts_.find_by_id(*flow->account);
  if (!account) return tl::unexpected(account.error());

  auto choice = choose_password(policy_, password, confirmation, password_context(*account, settings_.portal_name));
  if (!choice.ok()) return NewPasswordRejected{choice.encoded()};
  auto& checked = choice.normalized;
  if (hasher_.verify(account->password_hash, *checked)) return NewPasswordRejected{"same_as_temporary"};
  auto hash = hasher_.hash(*checked);
  if (!hash) return tl::unexpected(hash.error());

  // Claim the flow first: of two concurrent submissions only one proceeds.
  FlowEnvelope done = *flow;
  done.state = to_string(SignInState::Completed);
  if (auto r = flows_.transition(done, to_string(SignInState::PasswordChangeRequired)); !r)
    return tl::unexpected(r.error());
  if (auto r = accounts_.set_password(account->id, *hash, std::nullopt); !r) return tl::unexpected(r.error());
  account->password_hash = *hash;
  account->password_is_temporary = false;
  (void)sessions_.end_all(account->id, {});
  audit_.record("password.change", account->id, account->id, client, "temporary password replaced");
  auto signed_in = complete(std::move(*account), client, auth_methods_of(*flow));
  if (!signed_in) return tl::unexpected(signed_in.error());
  return std::move(*signed_in);
}

}  // namespace portier
