#include "admin/support_service.h"

#include <algorithm>

#include "account/identifiers.h"
#include "account/masking.h"
#include "admin/staff_change_notice.h"
#include "common/encoding.h"
#include "common/time_format.h"

namespace portier {

namespace {

// The agent's reason on one line (the audit list shows it as text).
std::string one_line(std::string_view reason) {
  std::string out;
  for (char c : reason) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

// The audit detail of the console's own events.
std::string audit_reason(std::string_view reason) { return "reason: " + one_line(reason); }

}  // namespace

SupportService::SupportService(AccountStore& accounts, AccountAdminService& admin, LockoutAdminService& lockouts,
                               OutboxStore& outbox, AuditLog& audit, SessionService& sessions,
                               IdentifierReminderService& reminder, RecoveryService& recovery,
                               const MessageComposer& composer, Reauthentication& reauth, const Clock& clock,
                               std::function<void()> wake_outbox, Invite invite, SupportSettings settings)
    : accounts_(accounts),
      admin_(admin),
      lockouts_(lockouts),
      outbox_(outbox),
      audit_(audit),
      sessions_(sessions),
      reminder_(reminder),
      recovery_(recovery),
      composer_(composer),
      reauth_(reauth),
      clock_(clock),
      wake_outbox_(std::move(wake_outbox)),
      invite_(std::move(invite)),
      settings_(std::move(settings)) {}

Result<std::vector<Account>> SupportService::search(std::string_view query, int limit) {
  auto text = trim(query);
  if (text.size() < 2 || !is_valid_utf8(text)) return std::vector<Account>{};
  // Words in any order, titles dropped, accents and case ignored; a number
  // read out as "06 12 34 56 78" is found too (AccountStore::search).
  return accounts_.search(text, limit);
}

Result<bool> SupportService::is_blocked(const Account& a) {
  if (a.status == AccountStatus::Disabled) return true;
  auto l = lockouts_.summary(a.identifier);
  if (!l) return tl::unexpected(l.error());
  return is_blocked(*l);
}

bool SupportService::is_blocked(const LockoutSummary& l) {
  return l.unknown_browsers_suspended_until || l.suspended_devices > 0 || l.locked_until_reset ||
         l.second_step_suspended_until || l.second_step_locked;
}

Result<SupportAccountView> SupportService::view(AccountId member) {
  auto a = accounts_.find_by_id(member);
  if (!a) return tl::unexpected(a.error());
  SupportAccountView v;
  v.account = *a;
  auto lockout = lockouts_.summary(a->identifier);
  if (!lockout) return tl::unexpected(lockout.error());
  v.lockout = std::move(*lockout);
  auto messages = outbox_.list_for_account(a->id, 20);
  if (!messages) return tl::unexpected(messages.error());
  v.messages = std::move(*messages);
  auto events = audit_.recent_for_account(a->id, 50);
  if (!events) return tl::unexpected(events.error());
  for (auto& e : *events)
    if (e.event == "sign_in.success" && v.sign_ins.size() < 5) v.sign_ins.push_back(e.at);
  v.audit = std::move(*events);
  auto creation = audit_.first_for_account(a->id, "admin.user.add");
  if (!creation) return tl::unexpected(creation.error());
  v.creation = std::move(*creation);
  auto sessions = sessions_.list(a->id);
  if (!sessions) return tl::unexpected(sessions.error());
  v.sessions = std::move(*sessions);
  if (email_change_) {
    auto pending = email_change_->pending(a->id);
    if (!pending) return tl::unexpected(pending.error());
    v.pending_email = std::move(*pending);
  }
  return v;
}

Result<TargetOutcome> SupportService::target(AccountId member, const Agent& agent, std::string_view action) {
  auto a = accounts_.find_by_id(member);
  if (!a) return tl::unexpected(a.error());
  if (auto refused = refuse_action(agent.account, *a)) {
    audit_refusal(*a, agent, action, *refused);
    return TargetRefused{*refused};
  }
  return ConsoleTarget(std::move(*a));
}

void SupportService::audit_refusal(const Account& target, const Agent& agent, std::string_view action,
                                   RankRefusal why) {
  audit_.record("support.refused", agent.account.id, target.id, agent.client,
                "action: " + std::string(action) + "; rule: " + to_string(why) + " (" +
                    to_string(agent.account.role) + " on " + to_string(target.role) + ")");
}

Result<SupportService::Checked> SupportService::check(const Agent& agent, AgentConfirmation c, bool sensitive,
                                                     std::string_view purpose) {
  Checked out;
  auto& errors = out.errors;
  auto reason = trim(c.reason);
  if (reason.empty()) errors["reason"] = "required";
  else if (reason.size() > settings_.max_reason_length || !is_valid_utf8(reason)) errors["reason"] = "reason_too_long";
  // The agent's session proved an app code at sign-in; the password again
  // proves the person at the keyboard now is that agent (an unlocked desk),
  // once per confirmation period rather than in every form.
  if (sensitive && !confirmed_until(agent)) {
    auto problem = check_password(agent, c.password, purpose, out.locked_out);
    if (!problem) return tl::unexpected(problem.error());
    if (*problem) errors["agent_password"] = **problem;
  }
  return out;
}

std::optional<TimePoint> SupportService::confirmed_until(const Agent& agent) const {
  if (!agent.confirmed_at || settings_.confirmation_period.count() <= 0) return std::nullopt;
  auto until = *agent.confirmed_at + settings_.confirmation_period;
  if (clock_.now() >= until) return std::nullopt;
  return until;
}

Result<std::optional<std::string>> SupportService::check_password(const Agent& agent, std::string_view password,
                                                                  std::string_view purpose, bool& locked_out) {
  auto checked = reauth_.check(agent.account, {password}, ReauthFactor::PasswordOnly,
                               std::string("support.") + std::string(purpose), agent.client);
  if (!checked) return tl::unexpected(checked.error());
  if (std::holds_alternative<ReauthLockedOut>(*checked)) {
    locked_out = true;
    return std::optional<std::string>{};
  }
  if (auto* refused = std::get_if<ReauthRefused>(&*checked)) return std::optional<std::string>{refused->password_problem};
  // A new period starts now, for this session only (a console without a
  // session, as in unit tests of one action, simply asks every time).
  if (!agent.session_hash.empty() && settings_.confirmation_period.count() > 0) {
    if (auto marked = sessions_.mark_confirmed(agent.session_hash); !marked) return tl::unexpected(marked.error());
    audit_.record("support.confirmed", agent.account.id, agent.account.id, agent.client,
                  "for " + std::to_string(settings_.confirmation_period.count() / 60) + " min; " + std::string(purpose));
  }
  return std::optional<std::string>{};
}

Result<SupportOutcome> SupportService::confirm(const Agent& agent, std::string_view password) {
  bool locked_out = false;
  auto problem = check_password(agent, password, "confirm", locked_out);
  if (!problem) return tl::unexpected(problem.error());
  if (locked_out) return ReauthLockedOut{};
  if (*problem) return Invalid{{{"agent_password", **problem}}};
  return Done{};
}

Result<SupportOutcome> SupportService::send_identifier_reminder(const ConsoleTarget& target, const Agent& agent,
                                                                AgentConfirmation c) {
  auto checked = check(agent, c, false, "send_identifier_reminder");
  if (!checked) return tl::unexpected(checked.error());
  if (checked->locked_out) return ReauthLockedOut{};
  if (!checked->errors.empty()) return Invalid{std::move(checked->errors)};
  const auto* a = &target.account();
  auto r = reminder_.request(a->email, settings_.default_language, agent.client);
  if (!r) return tl::unexpected(r.error());
  if (std::holds_alternative<ReminderThrottled>(*r)) return Throttled{};
  audit_.record("support.identifier_reminder", agent.account.id, a->id, agent.client, audit_reason(trim(c.reason)));
  return Done{};
}

Result<SupportOutcome> SupportService::send_password_reset(const ConsoleTarget& target, const Agent& agent,
                                                           AgentConfirmation c) {
  auto checked = check(agent, c, false, "send_password_reset");
  if (!checked) return tl::unexpected(checked.error());
  if (checked->locked_out) return ReauthLockedOut{};
  if (!checked->errors.empty()) return Invalid{std::move(checked->errors)};
  const auto* a = &target.account();
  // The same flow as "mot de passe oublié", by identifier, so the mail goes
  // to this account's address only; its limits apply to the agent too.
  auto r = recovery_.request(a->identifier, settings_.default_language, agent.client);
  if (!r) return tl::unexpected(r.error());
  if (std::holds_alternative<RecoveryThrottled>(*r)) return Throttled{};
  audit_.record("support.password_reset", agent.account.id, a->id, agent.client, audit_reason(trim(c.reason)));
  return Done{};
}

Result<SupportOutcome> SupportService::resend_invitation(const ConsoleTarget& target, const Agent& agent,
                                                         AgentConfirmation c) {
  if (!invite_) return fail(ErrorCode::NotFound, "invitations are not available");
  auto checked = check(agent, c, false, "resend_invitation");
  if (!checked) return tl::unexpected(checked.error());
  if (checked->locked_out) return ReauthLockedOut{};
  if (!checked->errors.empty()) return Invalid{std::move(checked->errors)};
  const auto* a = &target.account();
  if (auto r = invite_(*a, settings_.default_language, agent.account.id, agent.client); !r)
    return tl::unexpected(r.error());
  audit_.record("support.invitation", agent.account.id, a->id, agent.client, audit_reason(trim(c.reason)));
  return Done{};
}

Result<TemporaryOutcome> SupportService::issue_temporary_password(const ConsoleTarget& target,
                                                                  TemporaryDelivery delivery, const Agent& agent,
                                                                  AgentConfirmation c) {
  auto checked = check(agent, c, true, "issue_temporary_password");
  if (!checked) return tl::unexpected(checked.error());
  if (checked->locked_out) return ReauthLockedOut{};
  if (!checked->errors.empty()) return Invalid{std::move(checked->errors)};
  const auto* a = &target.account();
  // A staff account's temporary password never reaches a screen: whoever
  // read it there could sign in as that agent. Its owner gets it by mail.
  bool staff_target = !may_show_temporary_password(*a);
  if (staff_target) delivery = TemporaryDelivery::MailToMember;
  std::string how = delivery == TemporaryDelivery::ShowToAgent ? " (shown to the agent)"
                    : staff_target                             ? " (mailed: a staff account's is never shown)"
                                                               : " (mailed to the member)";
  auto issued = admin_.issue_temporary_password(a->identifier, agent.account.id, agent.client,
                                                one_line(trim(c.reason)) + how);
  if (!issued) return tl::unexpected(issued.error());
  // The member called to get back in: a suspension left in place would make
  // the new password useless. The form says so; the unlock is audited too.
  auto lockout = lockouts_.summary(a->identifier);
  if (!lockout) return tl::unexpected(lockout.error());
  if (is_blocked(*lockout) || lockout->consecutive_failures > 0 || lockout->second_step_failures > 0) {
    if (auto r = lockouts_.unlock(a->identifier, agent.account.id, agent.client,
                                  "with a temporary password; " + one_line(trim(c.reason)));
        !r)
      return tl::unexpected(r.error());
  }
  TemporaryIssued out;
  out.expires_at = issued->expires_at;
  if (delivery == TemporaryDelivery::ShowToAgent) {
    out.shown = std::move(*issued);
    // The member hears it from the agent; her mailbox keeps a trace (not the password).
    if (auto told = queue_staff_change_notice(outbox_, composer_, *a, StaffChange::TemporaryPasswordShown,
                                              {settings_.default_language, settings_.public_url, clock_.now()});
        !told)
      return tl::unexpected(told.error());
    if (wake_outbox_) wake_outbox_();
    return out;
  }
  const auto& lang = settings_.default_language;
  auto m = composer_.message("account.temporary_password", lang,
                             boost::json::object{{"display_name", a->display_name},
                                                 {"identifier", a->identifier},
                                                 {"password", issued->password},
                                                 {"expires", format_local_time(issued->expires_at, lang)},
                                                 {"sign_in", settings_.public_url + "/connexion"}},
                             MessageChannel::Email, a->email, a->id, clock_.now());
  if (auto queued = outbox_.enqueue(m); !queued) return tl::unexpected(queued.error());
  if (wake_outbox_) wake_outbox_();
  return out;
}

Result<SupportOutcome> SupportService::lift_suspension(const ConsoleTarget& target, const Agent& agent,
                                                       AgentConfirmation c) {
  auto checked = check(agent, c, true, "lift_suspension");
  if (!checked) return tl::unexpected(checked.error());
  if (checked->locked_out) return ReauthLockedOut{};
  if (!checked->errors.empty()) return Invalid{std::move(checked->errors)};
  const auto* a = &target.account();
  if (auto r = lockouts_.unlock(a->identifier, agent.account.id, agent.client, one_line(trim(c.reason))); !r)
    return tl::unexpected(r.error());
  if (auto told = queue_staff_change_notice(outbox_, composer_, *a, StaffChange::SuspensionLifted,
                                            {settings_.default_language, settings_.public_url, clock_.now()});
      !told)
    return tl::unexpected(told.error());
  if (wake_outbox_) wake_outbox_();
  return Done{};
}

Result<SupportOutcome> SupportService::end_sessions(const ConsoleTarget& target, const Agent& agent,
                                                    AgentConfirmation c) {
  auto checked = check(agent, c, true, "end_sessions");
  if (!checked) return tl::unexpected(checked.error());
  if (checked->locked_out) return ReauthLockedOut{};
  if (!checked->errors.empty()) return Invalid{std::move(checked->errors)};
  auto n = admin_.end_sessions(target.account().identifier, agent.account.id, agent.client, one_line(trim(c.reason)));
  if (!n) return tl::unexpected(n.error());
  return Done{};
}

Result<SupportOutcome> SupportService::reset_app(const ConsoleTarget& target, const Agent& agent,
                                                 AgentConfirmation c) {
  if (!app_reset_) return Refused{};
  auto checked = check(agent, c, true, "reset_app");
  if (!checked) return tl::unexpected(checked.error());
  if (checked->locked_out) return ReauthLockedOut{};
  if (!checked->errors.empty()) return Invalid{std::move(checked->errors)};
  if (auto r = app_reset_(target.account(), agent.account.id, one_line(trim(c.reason)), agent.client); !r)
    return tl::unexpected(r.error());
  return Done{};
}

Result<SupportOutcome> SupportService::set_status(const ConsoleTarget& target, AccountStatus status,
                                                  const Agent& agent, AgentConfirmation c) {
  auto checked = check(agent, c, true, "set_status");
  if (!checked) return tl::unexpected(checked.error());
  if (checked->locked_out) return ReauthLockedOut{};
  if (!checked->errors.empty()) return Invalid{std::move(checked->errors)};
  const auto* a = &target.account();
  auto r = admin_.set_status(a->identifier, status, agent.account.id, agent.client, one_line(trim(c.reason)));
  if (!r && r.error().code == ErrorCode::InvalidInput) return Invalid{{{"status", "last_admin"}}};
  if (!r) return tl::unexpected(r.error());
  return Done{};
}

Result<SupportOutcome> SupportService::correct_email(const ConsoleTarget& target, std::string_view email,
                                                     const Agent& agent, AgentConfirmation c) {
  if (!email_change_) return Refused{};
  auto checked = check(agent, c, true, "correct_email");
  if (!checked) return tl::unexpected(checked.error());
  if (checked->locked_out) return ReauthLockedOut{};
  auto errors = std::move(checked->errors);
  auto normalized = normalize_email(email);
  if (!normalized) errors["email"] = trim(email).empty() ? "required" : "invalid_email";
  if (!errors.empty()) return Invalid{std::move(errors)};
  // Support heard the address over the phone, from someone who may not be
  // the member: the address is not written here. The member confirms from
  // the new mailbox; the old address is told at once and can cancel.
  auto started = email_change_->request_by_staff(target.account(), *normalized, agent.account.id,
                                                 one_line(trim(c.reason)), settings_.default_language, agent.client);
  if (!started) return tl::unexpected(started.error());
  if (auto* invalid = std::get_if<Invalid>(&*started)) return *invalid;
  return Done{};
}

Result<SupportOutcome> SupportService::cancel_email_change(const ConsoleTarget& target, const Agent& agent,
                                                           AgentConfirmation c) {
  if (!email_change_) return Refused{};
  auto checked = check(agent, c, false, "cancel_email_change");
  if (!checked) return tl::unexpected(checked.error());
  if (!checked->errors.empty()) return Invalid{std::move(checked->errors)};
  auto cancelled = email_change_->cancel(target.id(), agent.account.id, one_line(trim(c.reason)), agent.client);
  if (!cancelled) return tl::unexpected(cancelled.error());
  return Done{};
}

Result<SupportOutcome> SupportService::correct_phone(const ConsoleTarget& target, std::string_view phone,
                                                     const Agent& agent, AgentConfirmation c) {
  auto checked = check(agent, c, true, "correct_phone");
  if (!checked) return tl::unexpected(checked.error());
  if (checked->locked_out) return ReauthLockedOut{};
  auto errors = std::move(checked->errors);
  std::optional<std::string> normalized;
  if (!trim(phone).empty()) {
    normalized = normalize_phone(phone, settings_.phone_default_country);
    if (!normalized) errors["phone"] = "invalid_phone";
    else if (!sms_destination_allowed(*normalized, settings_.sms_prefixes)) errors["phone"] = "phone_prefix_refused";
  }
  if (!errors.empty()) return Invalid{std::move(errors)};
  const auto* a = &target.account();
  if (normalized == a->phone) return Done{};
  Account changed = *a;
  changed.phone = normalized;
  // Support heard the number over the phone: nothing proves the member holds
  // it, so no SMS code goes there until they confirm it in Mon espace.
  changed.phone_verified_at.reset();
  changed.code_channel = CodeChannel::Email;
  if (auto r = accounts_.update_profile(changed); !r) return tl::unexpected(r.error());
  auto masked = [](const std::optional<std::string>& p) { return p ? mask_phone(*p) : std::string("-"); };
  audit_.record("support.phone_corrected", agent.account.id, a->id, agent.client,
                masked(a->phone) + " -> " + masked(normalized) + "; " + audit_reason(trim(c.reason)));
  if (auto told = tell_contact_changed(*a, "phone", masked(a->phone), masked(normalized), a->email); !told)
    return tl::unexpected(told.error());
  return Done{};
}

Result<SupportOutcome> SupportService::set_role(const ConsoleTarget& target, Role role, const Agent& agent,
                                                AgentConfirmation c) {
  if (auto refused = refuse_role_change(agent.account, target.account())) {
    audit_refusal(target.account(), agent, "set_role", *refused);
    return Refused{};
  }
  auto checked = check(agent, c, true, "set_role");
  if (!checked) return tl::unexpected(checked.error());
  if (checked->locked_out) return ReauthLockedOut{};
  if (!checked->errors.empty()) return Invalid{std::move(checked->errors)};
  const auto* a = &target.account();
  auto r = admin_.set_role(a->identifier, role, agent.account.id, agent.client, one_line(trim(c.reason)));
  if (!r && r.error().code == ErrorCode::InvalidInput) return Invalid{{{"role", "last_admin"}}};
  if (!r) return tl::unexpected(r.error());
  // A demoted agent keeps no console session open on the strength of the old role.
  if (role == Role::Member && a->role != Role::Member) (void)sessions_.end_all(a->id, {});
  return Done{};
}

Result<SupportOutcome> SupportService::remove_link(const ConsoleTarget& target, const Agent& agent,
                                                   AgentConfirmation c, std::string_view purpose,
                                                   const LinkRemoval& remove) {
  // The route is declared for administrators already: this holds if it is not.
  if (agent.account.role != Role::Admin) {
    audit_refusal(target.account(), agent, purpose, RankRefusal::AdminOnly);
    return Refused{};
  }
  auto checked = check(agent, c, true, purpose);
  if (!checked) return tl::unexpected(checked.error());
  if (checked->locked_out) return ReauthLockedOut{};
  if (!checked->errors.empty()) return Invalid{std::move(checked->errors)};
  if (auto removed = remove(one_line(trim(c.reason))); !removed) return tl::unexpected(removed.error());
  return Done{};
}

Result<void> SupportService::tell_contact_changed(const Account& member, std::string_view what,
                                                  std::string_view old_value, std::string_view new_value,
                                                  const std::string& to) {
  const auto& lang = settings_.default_language;
  auto m = composer_.message("account.contact_changed", lang,
                             boost::json::object{{"display_name", member.display_name},
                                                 {"identifier", member.identifier},
                                                 {"is_email", what == "email"},
                                                 {"is_phone", what == "phone"},
                                                 {"old_value", old_value},
                                                 {"new_value", new_value},
                                                 {"assistance", settings_.public_url + "/assistance"}},
                             MessageChannel::Email, to, member.id, clock_.now());
  if (auto queued = outbox_.enqueue(m); !queued) return tl::unexpected(queued.error());
  if (wake_outbox_) wake_outbox_();
  return {};
}

}  // namespace portier
