#pragma once
// The support console's actions on members' accounts. Each action is
// audited with the agent as actor and the agent's reason; sensitive ones
// first check the agent's own password again. Never lets an agent choose a
// member's password, and never lets a support agent (not an administrator)
// change a role. Every action on an account takes a ConsoleTarget, which only
// target() makes, after the rank rule (admin/staff_rank.h): staff act only on
// accounts below their own rank, never on their own.
#include <functional>
#include <optional>
#include <variant>

#include "admin/account_admin_service.h"
#include "admin/lockout_admin_service.h"
#include "admin/staff_rank.h"
#include "flow/email_change/email_change_service.h"
#include "flow/identifier_reminder/identifier_reminder_service.h"
#include "flow/recovery/recovery_service.h"
#include "flow/settings/settings_service.h"
#include "notify/message_composer.h"
#include "throttle/sms_budget.h"
#include "notify/outbox_store.h"
#include "session/session_service.h"

namespace portier {

// Who acts, from the console's signed-in session.
struct Agent {
  Account account;
  ClientInfo client;
  std::string lang = "fr";  // of the agent's page; messages to members use the portal's language
  // The console session (its keyed hash) and when it last proved the agent's
  // password: sensitive actions ask again only once the period is over.
  std::string session_hash;
  std::optional<TimePoint> confirmed_at;
};

// What the agent typed with a sensitive action. `password` is empty for the
// actions that do not ask for it (reminder, reset link, invitation).
struct AgentConfirmation {
  std::string_view reason;
  std::string_view password;
};

// An account the agent may act on. Only SupportService::target() makes one,
// once the rank rule allowed it: an action that takes a ConsoleTarget cannot
// skip the rule.
class ConsoleTarget {
public:
  const Account& account() const { return account_; }
  AccountId id() const { return account_.id; }

private:
  friend class SupportService;
  explicit ConsoleTarget(Account account) : account_(std::move(account)) {}
  Account account_;
};
// The rank rule said no (audited as support.refused).
struct TargetRefused {
  RankRefusal why;
};
using TargetOutcome = std::variant<ConsoleTarget, TargetRefused>;

// Outcomes: Done, the form's problems (field -> problem id, as in Mon espace),
// Refused when the agent's role does not allow the action (403), Throttled
// when the underlying public flow's limits say "later" (reminder, reset link).
struct Done {};
struct Refused {};
struct Throttled {};
// ReauthLockedOut: the agent's password was wrong too many times; the
// agent's sessions are ended (session/reauthentication.h).
using SupportOutcome = std::variant<Done, Invalid, Refused, Throttled, ReauthLockedOut>;

enum class TemporaryDelivery { ShowToAgent, MailToMember };
struct TemporaryIssued {
  std::optional<TemporaryPassword> shown;  // only when ShowToAgent: displayed once, never stored in clear
  TimePoint expires_at;
};
using TemporaryOutcome = std::variant<TemporaryIssued, Invalid, Refused, ReauthLockedOut>;

// Everything the account page shows.
struct SupportAccountView {
  Account account;
  LockoutSummary lockout;
  std::vector<OutboundMessage> messages;  // newest first
  std::vector<AuditEvent> audit;          // newest first
  std::vector<TimePoint> sign_ins;        // successful ones, newest first
  std::vector<Session> sessions;
  std::optional<PendingEmailChange> pending_email;  // a change waiting for the new mailbox
  std::optional<AuditEvent> creation;  // "admin.user.add": who created the account, and when
};

struct SupportSettings {
  std::string default_language = "fr";  // of the mails the console sends to members
  std::string phone_default_country = "+33";
  std::string public_url = "http://localhost:8080";
  std::size_t max_reason_length = 300;
  // sms.allowed_prefixes: a number outside them is refused when typed.
  std::vector<std::string> sms_prefixes = kDefaultSmsPrefixes;
  // security.console_confirmation_period: how long one typing of the agent's
  // password covers the sensitive actions of the same session.
  std::chrono::seconds confirmation_period{300};
};

class SupportService {
public:
  // `invite` queues an invitation for a pending account (ActivationService);
  // empty while the activation flow is not wired, and then the console hides the action.
  using Invite = std::function<Result<void>(const Account& member, std::string_view lang, AccountId actor,
                                            const ClientInfo& client)>;

  SupportService(AccountStore& accounts, AccountAdminService& admin, LockoutAdminService& lockouts,
                 OutboxStore& outbox, AuditLog& audit, SessionService& sessions,
                 IdentifierReminderService& reminder, RecoveryService& recovery, const MessageComposer& composer,
                 Reauthentication& reauth, const Clock& clock, std::function<void()> wake_outbox,
                 Invite invite, SupportSettings settings);

  static bool is_staff(const Account& a) { return a.role == Role::Support || a.role == Role::Admin; }
  bool can_invite() const { return static_cast<bool>(invite_); }
  // Removes a member's authenticator app and recovery codes (they lost
  // both), audits with the actor and reason, tells the member: wired by app/
  // to AppSettingsService::reset. Set after construction so that the
  // constructor of this hub does not grow for one action.
  using AppReset = std::function<Result<bool>(const Account& member, AccountId actor, std::string_view reason,
                                              const ClientInfo& client)>;
  void set_app_reset(AppReset reset) { app_reset_ = std::move(reset); }
  bool can_reset_app() const { return static_cast<bool>(app_reset_); }

  // Empty for fewer than 2 characters. Words in any order, titles ("Dr",
  // "Mme") dropped, case and accents ignored; a phone number typed as the
  // agent hears it ("06 12 34 56 78") is found too (AccountStore::search).
  Result<std::vector<Account>> search(std::string_view query, int limit = 50);
  // The "suspendu" badge: the account is disabled, or its sign-in or second
  // step is suspended or locked (what lift_suspension() lifts).
  Result<bool> is_blocked(const Account& a);
  static bool is_blocked(const LockoutSummary& l);
  // Viewing is open to all staff; the page hides the actions refuse_action() denies.
  Result<SupportAccountView> view(AccountId member);

  // The one door to the actions below: loads `member` and applies the rank
  // rule for `agent` (admin/staff_rank.h). A refusal is audited as
  // support.refused with `action` (the route) and the rule's reason; NotFound
  // when there is no such account. The Router calls it for every route
  // declared Access::StaffOnAccount or AdminOnAccount (web/route.h).
  Result<TargetOutcome> target(AccountId member, const Agent& agent, std::string_view action);

  // Until when the agent's session is covered by its last password
  // confirmation; nothing when the agent must type it (again).
  std::optional<TimePoint> confirmed_until(const Agent& agent) const;
  // The period in whole minutes (0: the password is asked in every form).
  long confirmation_minutes() const { return static_cast<long>(settings_.confirmation_period.count() / 60); }
  // The agent types their password once for the period (the account page's
  // "Confirmer" form): Done, Invalid {"agent_password": ...}, or
  // ReauthLockedOut. Through session/reauthentication.h; audited as
  // support.confirmed.
  Result<SupportOutcome> confirm(const Agent& agent, std::string_view password);

  Result<SupportOutcome> send_identifier_reminder(const ConsoleTarget& target, const Agent& agent,
                                                  AgentConfirmation c);
  Result<SupportOutcome> send_password_reset(const ConsoleTarget& target, const Agent& agent, AgentConfirmation c);
  Result<SupportOutcome> resend_invitation(const ConsoleTarget& target, const Agent& agent, AgentConfirmation c);
  // A staff account's temporary password is always mailed to its own
  // address, whatever `delivery` asks (may_show_temporary_password). Lifts
  // the account's sign-in and second-step suspensions too: the member is on
  // the phone to get back in (audited as admin.user.unlock).
  Result<TemporaryOutcome> issue_temporary_password(const ConsoleTarget& target, TemporaryDelivery delivery,
                                                    const Agent& agent, AgentConfirmation c);
  Result<SupportOutcome> lift_suspension(const ConsoleTarget& target, const Agent& agent, AgentConfirmation c);
  // Signs the member out everywhere (a lost phone, a shared PC left open).
  Result<SupportOutcome> end_sessions(const ConsoleTarget& target, const Agent& agent, AgentConfirmation c);
  // "Reset the authenticator app": reason and the agent's password required
  // (a sensitive action: it drops the member's strongest factor).
  Result<SupportOutcome> reset_app(const ConsoleTarget& target, const Agent& agent, AgentConfirmation c);
  Result<SupportOutcome> set_status(const ConsoleTarget& target, AccountStatus status, const Agent& agent,
                                    AgentConfirmation c);
  // Never writes the address: starts the member's email-change flow
  // (flow/email_change/), so the member confirms from the new mailbox and
  // the old address is told with a way to cancel. Field "email" on a bad
  // address. Refused while no EmailChangeService is wired.
  Result<SupportOutcome> correct_email(const ConsoleTarget& target, std::string_view email, const Agent& agent,
                                       AgentConfirmation c);
  // Withdraws the member's pending email change (a reason, no password:
  // cancelling only ever protects the member). Done also when none was pending.
  Result<SupportOutcome> cancel_email_change(const ConsoleTarget& target, const Agent& agent, AgentConfirmation c);
  // Wired by app/ after construction (kept out of the constructor so that
  // parallel work on the console does not collide).
  void set_email_change(EmailChangeService* email_change) { email_change_ = email_change; }
  // Stored unverified: the member proves it in Mon espace before any SMS
  // code goes there. Empty removes it. The member's address is told.
  Result<SupportOutcome> correct_phone(const ConsoleTarget& target, std::string_view phone, const Agent& agent,
                                       AgentConfirmation c);
  // Administrators only (Refused otherwise, audited); the last active
  // administrator stays one (AccountAdminService, for the command line).
  Result<SupportOutcome> set_role(const ConsoleTarget& target, Role role, const Agent& agent, AgentConfirmation c);

  // Removes a way of signing in linked to the member's account: a smart card
  // (a lost or stolen one), an identity at a provider. `remove` does it,
  // audits it with the agent's reason (on one line) and tells the member;
  // false when it was not linked (Done all the same: the page says it is
  // gone). Administrators only (Refused otherwise, audited as
  // support.refused); reason and password required, as every sensitive
  // action. `purpose` names the action in the re-authentication's audit.
  using LinkRemoval = std::function<Result<bool>(std::string_view reason)>;
  Result<SupportOutcome> remove_link(const ConsoleTarget& target, const Agent& agent, AgentConfirmation c,
                                     std::string_view purpose, const LinkRemoval& remove);

private:
  // The form's problems: "reason" -> required / too_long; "agent_password"
  // -> required / wrong_current when `sensitive` and the session's last
  // confirmation is older than the period (the agent's password goes through
  // Reauthentication, counted on the agent's account; a right one starts a
  // new period).
  struct Checked {
    FieldErrors errors;
    bool locked_out = false;  // the agent's sessions were just ended
  };
  Result<Checked> check(const Agent& agent, AgentConfirmation c, bool sensitive, std::string_view purpose);
  // The password part of check() and confirm(): "" when it passed, else the problem id.
  Result<std::optional<std::string>> check_password(const Agent& agent, std::string_view password,
                                                    std::string_view purpose, bool& locked_out);
  void audit_refusal(const Account& target, const Agent& agent, std::string_view action, RankRefusal why);
  Result<void> tell_contact_changed(const Account& member, std::string_view what, std::string_view old_value,
                                    std::string_view new_value, const std::string& to);

  AccountStore& accounts_;
  AccountAdminService& admin_;
  LockoutAdminService& lockouts_;
  OutboxStore& outbox_;
  AuditLog& audit_;
  SessionService& sessions_;
  IdentifierReminderService& reminder_;
  RecoveryService& recovery_;
  const MessageComposer& composer_;
  Reauthentication& reauth_;
  const Clock& clock_;
  std::function<void()> wake_outbox_;
  Invite invite_;
  AppReset app_reset_;
  SupportSettings settings_;
  EmailChangeService* email_change_ = nullptr;
};

}  // namespace portier
