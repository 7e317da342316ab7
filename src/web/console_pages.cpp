// The support console: search, the account page and its actions. Every
// route is declared Access::Staff or Access::Admin: the Router's gate
// (web/console_access.h) has admitted the agent before a handler runs.
#include <boost/json/array.hpp>
#include <map>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "account/masking.h"
#include "admin/staff_rank.h"
#include "web/assistance_view.h"
#include "web/card_pages.h"
#include "web/console_access.h"
#include "web/console_actions.h"
#include "web/console_labels.h"
#include "web/federation_link_pages.h"
#include "web/form_errors.h"
#include "web/pages.h"
#include "web/session_cookies.h"

namespace portier::web {

namespace {

// The notices after an action (?info=), each with the form it follows: its
// group of actions stays open, where the agent was.
const std::pair<const char*, const char*> kConsoleNotices[] = {
    {"reminder_sent", "reminder"}, {"reset_sent", "reset"},         {"invitation_sent", "invite"},
    {"temp_mailed", "temp"},       {"unlocked", "unlock"},           {"disabled", "status"},
    {"enabled", "status"},         {"email_corrected", "email"},     {"phone_corrected", "phone"},
    {"role_set", "role"},          {"app_reset", "app_reset"},       {"sessions_ended", "sessions"},
    {"email_change_cancelled", "email_cancel"}, {"confirmed", ""}, {"card_unlinked", ""},
    {"federation_unlinked", ""}};

// The folded groups of actions (<details>), and the forms of each: the group
// of a form with problems, or named by ?ouvrir=, opens.
struct ActionGroup {
  const char* name;
  std::vector<std::string_view> forms;
};
const ActionGroup kGroups[] = {
    {"acces", {"unlock", "temp", "reset", "reminder", "invite", "sessions", "app_reset"}},
    {"coordonnees", {"email", "email_cancel", "phone"}},
    {"compte", {"status", "role"}},
};

void open_group_of(boost::json::object& d, std::string_view form_or_group) {
  for (auto& g : kGroups) {
    bool hit = form_or_group == g.name;
    for (auto f : g.forms) hit = hit || form_or_group == f;
    if (hit) d[std::string("open_") + g.name] = true;
  }
}

// Fields of the console's forms, top to bottom, as they reach the error summary.
const char* kFieldOrder[] = {"card", "provider", "email", "phone", "role", "status", "reason", "agent_password"};

// Identifiers of the agents named in the audit trail, looked up once each.
std::string actor_name(Exchange& ex, std::optional<AccountId> actor, std::map<AccountId, std::string>& cache) {
  if (!actor) return ex.t("console_actor_system");
  auto it = cache.find(*actor);
  if (it != cache.end()) return it->second;
  auto a = ex.services().accounts.find_by_id(*actor);
  return cache[*actor] = a ? a->identifier : "#" + std::to_string(*actor);
}

// The status banner at the top of the account page: what stops the member
// now, each with the way out ("lever la suspension" opens the group of
// actions where the form is, without JavaScript).
void add_banner(Exchange& ex, boost::json::object& d, const SupportAccountView& v, const Agent& agent) {
  const auto& a = v.account;
  const auto& l = v.lockout;
  boost::json::array items;
  auto id = std::to_string(a.id);
  auto lift = "/support/compte?id=" + id + "&ouvrir=acces#unlock-heading";
  bool may_act = !refuse_action(agent.account, a);
  auto item = [&](std::string text, bool problem, std::string href = {}, std::string action = {}) {
    boost::json::object o{{"text", std::move(text)}, {"problem", problem}};
    if (may_act && !href.empty()) {
      o["href"] = std::move(href);
      o["action"] = std::move(action);
    }
    items.push_back(std::move(o));
  };
  if (a.status == AccountStatus::Disabled)
    item(ex.t("console_banner_disabled"), true, "/support/compte?id=" + id + "&ouvrir=compte#status-heading",
         ex.t("console_banner_enable"));
  if (a.status == AccountStatus::Pending) item(ex.t("console_banner_pending"), false);
  auto lift_text = ex.t("console_banner_lift");
  if (l.locked_until_reset) item(ex.t("console_banner_locked"), true, lift, lift_text);
  else if (l.unknown_browsers_suspended_until)
    item(ex.t("console_banner_suspended_until", {{"until", ex.format_time(*l.unknown_browsers_suspended_until)}}),
         true, lift, lift_text);
  if (l.suspended_devices > 0)
    item(ex.tn("console_banner_devices", l.suspended_devices), true, lift, lift_text);
  if (l.second_step_locked) item(ex.t("console_banner_code_locked"), true, lift, lift_text);
  else if (l.second_step_suspended_until)
    item(ex.t("console_banner_code_suspended_until", {{"until", ex.format_time(*l.second_step_suspended_until)}}),
         true, lift, lift_text);
  if (a.password_is_temporary && a.password_expires_at)
    item(ex.t("console_banner_temporary", {{"until", ex.format_time(*a.password_expires_at)}}), false);
  if (v.pending_email) item(ex.t("console_banner_email_pending"), false);
  bool problem = false;
  for (auto& i : items) problem = problem || i.as_object().at("problem").as_bool();
  if (items.empty()) item(ex.t("console_banner_ok"), false);
  d["banner"] = std::move(items);
  d["banner_problem"] = problem;
}

boost::json::object account_page(Exchange& ex, const Agent& agent, const SupportAccountView& v) {
  const auto& a = v.account;
  boost::json::object d;
  d["title"] = ex.t("console_account_title", {{"identifier", a.identifier}});
  d["has_import"] = ex.services().account_import != nullptr;
  d["id"] = std::to_string(a.id);
  d["identifier"] = a.identifier;
  d["display_name"] = a.display_name;
  d["email"] = a.email;
  add_phone(d, a.phone);
  d["phone_verified"] = has_verified_phone(a);
  if (a.rpps) d["rpps"] = *a.rpps;
  // A change waiting for the member's new mailbox: masked, as support never
  // needs the whole address to answer "did you get our message?".
  if (v.pending_email) {
    d["pending_email"] = mask_email(v.pending_email->new_email);
    d["pending_email_expires"] = ex.format_time(v.pending_email->expires_at);
  }
  d["role"] = ex.t(std::string("role_") + to_string(a.role));
  d["status"] = ex.t(std::string("console_status_") + to_string(a.status));
  d["is_disabled"] = a.status == AccountStatus::Disabled;
  d["created"] = ex.format_time(a.created_at);
  // Who created it: an agent or administrator (console, import), the
  // server's command line, or nobody known (the installation's first account).
  std::map<AccountId, std::string> actors;
  if (v.creation) {
    if (v.creation->actor) d["created_by"] = actor_name(ex, v.creation->actor, actors);
    else if (v.creation->ip == "cli") d["created_by"] = ex.t("console_created_by_cli");
    d["created_by_import"] = v.creation->detail.find("import") != std::string::npos;
  }
  if (a.password_is_temporary && a.password_expires_at) d["temporary_until"] = ex.format_time(*a.password_expires_at);
  if (a.password_hash.empty()) d["no_password"] = true;

  const auto& l = v.lockout;
  bool suspended = SupportService::is_blocked(l);
  if (l.second_step_suspended_until) d["code_suspended_until"] = ex.format_time(*l.second_step_suspended_until);
  d["code_locked"] = l.second_step_locked;
  auto app = ex.services().totp.is_enrolled(a.id);
  d["has_app"] = app && *app;
  d["suspended"] = suspended;
  if (l.unknown_browsers_suspended_until) d["suspended_until"] = ex.format_time(*l.unknown_browsers_suspended_until);
  if (l.suspended_devices > 0) d["suspended_devices"] = std::to_string(l.suspended_devices);
  d["locked_until_reset"] = l.locked_until_reset;
  d["consecutive_failures"] = std::to_string(l.consecutive_failures);
  d["has_failures"] = l.consecutive_failures > 0;
  add_banner(ex, d, v, agent);
  if (auto until = support(ex).confirmed_until(agent)) {
    d["password_confirmed"] = true;
    d["confirmed_until"] = ex.t("console_confirmed_until", {{"until", ex.format_time(*until)}});
  }
  if (auto minutes = support(ex).confirmation_minutes(); minutes > 0) {
    d["confirm_text"] = ex.t(minutes == 1 ? "console_confirm_text_one" : "console_confirm_text",
                             {{"minutes", std::to_string(minutes)}});
    if (!d.contains("password_confirmed")) d["f_confirm"] = boost::json::object{{"p", "confirm"}};
  }

  boost::json::array sign_ins;
  for (auto at : v.sign_ins) sign_ins.push_back(boost::json::object{{"when", ex.format_time(at)}});
  d["has_sign_ins"] = !sign_ins.empty();
  d["sign_ins"] = std::move(sign_ins);
  d["session_count"] = std::to_string(v.sessions.size());

  boost::json::array messages;
  for (auto& m : v.messages) {
    messages.push_back(boost::json::object{
        {"when", ex.format_time(m.created_at)},
        {"kind", kind_label(ex, "console_message_", m.kind)},
        {"recipient", m.recipient},
        {"status_key", to_string(m.status)},
        {"status", ex.t(std::string("console_delivery_") + to_string(m.status))},
        {"is_problem", m.status == DeliveryStatus::Failed || m.status == DeliveryStatus::Deferred},
        {"attempts", std::to_string(m.attempts)},
        {"error", m.last_error}});
  }
  d["has_messages"] = !messages.empty();
  d["messages"] = std::move(messages);

  boost::json::array trail;
  for (auto& e : v.audit) {
    auto what = kind_label(ex, "audit_", e.event);
    trail.push_back(boost::json::object{{"when", ex.format_time(e.at)},
                                        {"what", what},
                                        {"event", e.event},
                                        {"actor", actor_name(ex, e.actor, actors)},
                                        {"ip", e.ip},
                                        {"detail", detail_label(ex, e.detail)}});
  }
  d["has_audit"] = !trail.empty();
  d["audit"] = std::move(trail);

  // One object per action form: its field ids start with `p`; sensitive ones
  // ask for the agent's password. The templates read errors from here.
  // The rank rule (admin/staff_rank.h) decides which forms exist; the Router
  // applies the same rule to the POSTs, so a hidden form is also a refused one.
  auto form = [](const char* p, bool sensitive) { return boost::json::object{{"p", p}, {"sensitive", sensitive}}; };
  if (auto refused = refuse_action(agent.account, a)) {
    d["rank_note"] = ex.t(std::string("console_rank_note_") + to_string(*refused));
  } else {
    d["f_reminder"] = form("reminder", false);
    d["f_reset"] = form("reset", false);
    if (support(ex).can_invite() && a.status == AccountStatus::Pending) d["f_invite"] = form("invite", false);
    auto temp = form("temp", true);
    temp["mail_only"] = !may_show_temporary_password(a);
    temp["lifts_suspension"] = suspended;
    d["f_temp"] = std::move(temp);
    if (suspended || l.consecutive_failures > 0 || l.second_step_failures > 0) d["f_unlock"] = form("unlock", true);
    if (!v.sessions.empty()) d["f_sessions"] = form("sessions", true);
    if (app && *app && support(ex).can_reset_app()) d["f_app_reset"] = form("app_reset", true);
    d["f_status"] = form("status", true);
    d["f_email"] = form("email", true);
    if (v.pending_email) d["f_email_cancel"] = form("email_cancel", false);
    d["f_phone"] = form("phone", true);
    if (!refuse_role_change(agent.account, a)) {
      auto f = form("role", true);
      f["is_member"] = a.role == Role::Member;
      f["is_support"] = a.role == Role::Support;
      f["is_admin"] = a.role == Role::Admin;
      d["f_role"] = std::move(f);
    }
  }
  // The assistance requests of this account: filled by the requests queue
  // (/support/demandes) through the _console_requests partial.
  // The member's assistance requests, newest first, each linking to its page in the queue.
  boost::json::array requests;
  if (ex.services().assistance)
    if (auto list = ex.services().assistance->for_account(a.id, 20))
      for (auto& r : *list) requests.push_back(request_view(ex, r));
  d["has_requests"] = !requests.empty();
  d["requests"] = std::move(requests);

  // Cards (and identities at providers) are removed by administrators
  // only, under the rank rule, with a reason and their password.
  bool may_unlink = agent.account.role == Role::Admin && !refuse_action(agent.account, a);
  add_console_cards(ex, a, d);
  if (may_unlink && d.contains("has_cards") && d["has_cards"].as_bool()) d["f_card_unlink"] = form("card_unlink", true);
  add_console_federated_links(ex, a, d);
  if (may_unlink && d.contains("has_federated_links") && d["has_federated_links"].as_bool())
    d["f_federation_unlink"] = form("federation_unlink", true);

  auto info = ex.query().get("info");
  for (auto [n, form] : kConsoleNotices)
    if (info == n) {
      d["notice"] = ex.t(std::string("console_notice_") + n);
      open_group_of(d, form);
    }
  open_group_of(d, ex.query().get("ouvrir"));
  d["has_groups"] = !d.contains("rank_note");
  return d;
}

// The temporary password as the agent reads it out: upper case (it is
// accepted in any case), in groups of four, each character spelled
// ("K comme Kléber", "7 : le chiffre sept").
void add_spelling(Exchange& ex, boost::json::object& d, std::string_view password) {
  boost::json::array groups;
  boost::json::array current;
  std::string shown;
  for (char c : password) {
    if (c == '-') continue;
    char up = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    std::string ch(1, up);
    bool digit = c >= '0' && c <= '9';
    auto spelled = digit ? ex.t("console_spell_digit", {{"digit", ch}, {"word", ex.t("console_spell_" + ch)}})
                         : ex.t("console_spell_letter", {{"letter", ch}, {"word", ex.t("console_spell_" + ch)}});
    current.push_back(boost::json::object{{"char", ch}, {"spelled", spelled}});
    if (current.size() == 4) {
      std::string text;
      for (auto& x : current) text += x.as_object().at("char").as_string().c_str();
      groups.push_back(boost::json::object{{"text", text}, {"chars", std::move(current)}});
      shown += (shown.empty() ? "" : " ") + text;
      current = boost::json::array();
    }
  }
  d["password_shown"] = shown;
  d["groups"] = std::move(groups);
}

// Renders the account page with one form's problems beside its fields and in the summary.
http::Response show_with_errors(Exchange& ex, const Agent& agent, AccountId id, const std::string& form,
                                const FieldErrors& errors, int status = 422) {
  auto v = support(ex).view(id);
  if (!v) return ex.failure(v.error());
  auto d = account_page(ex, agent, *v);
  auto key = "f_" + form;
  if (!d.contains(key)) d[key] = boost::json::object{{"p", form}};
  auto& f = d[key].as_object();
  open_group_of(d, form);
  boost::json::array summary;
  for (const char* field : kFieldOrder) {
    auto it = errors.find(field);
    if (it == errors.end()) continue;
    auto message = problem_message(ex, it->second);
    f[std::string(field) + "_error"] = message;
    // A status problem has no input: the summary leads to the button.
    auto target = form + "-" + (std::string(field) == "status" ? "submit" : field);
    // Every form has a "reason": the entry names the form too.
    auto label = ex.t("console_form_" + form) + " – " + ex.t(std::string("console_field_") + field);
    summary.push_back(boost::json::object{{"id", target}, {"label", label}, {"message", message}});
  }
  d["console_errors"] = std::move(summary);
  d["has_errors"] = true;
  d["title"] = ex.t("error_prefix") + " " + std::string(d["title"].as_string());
  return ex.render("console_account", std::move(d), status);
}

// The common tail of an action: Done -> back to the account with a notice.
http::Response after(Exchange& ex, const Agent& agent, AccountId id, const std::string& form,
                     const Result<SupportOutcome>& outcome, const char* notice) {
  if (!outcome) return ex.failure(outcome.error());
  if (std::holds_alternative<Refused>(*outcome)) return ex.error(403);
  if (std::holds_alternative<ReauthLockedOut>(*outcome)) return signed_out_by_reauth(ex);
  if (auto* invalid = std::get_if<Invalid>(&*outcome)) return show_with_errors(ex, agent, id, form, invalid->errors);
  if (std::holds_alternative<Throttled>(*outcome)) {
    auto v = support(ex).view(id);
    if (!v) return ex.failure(v.error());
    auto d = account_page(ex, agent, *v);
    d["notice"] = ex.t("console_notice_throttled");
    return ex.render("console_account", std::move(d), 429);
  }
  // The agent typed their password again: their session gets a new token.
  return renewed_redirect(ex, "/support/compte?id=" + std::to_string(id) + "&info=" + notice);
}

AgentConfirmation confirmation(Exchange& ex) {
  auto& f = *ex.form();
  return AgentConfirmation{f.get("reason"), f.get("agent_password")};
}

// Runs `act` for the account the Router loaded and the rank rule allowed
// (routes declared Access::StaffOnAccount or AdminOnAccount).
template <typename Act>
http::Response action(Exchange& ex, Act act) {
  const auto* target = ex.target();
  if (!target) {
    // A route table mistake: refuse rather than act unchecked.
    spdlog::error("{} acts on an account but is not declared Access::StaffOnAccount", ex.request().path);
    return ex.error(403);
  }
  return act(ex.agent(), *target);
}

}  // namespace

AgentConfirmation console_confirmation(Exchange& ex) { return confirmation(ex); }

http::Response console_action_done(Exchange& ex, const Agent& agent, AccountId id, const std::string& form,
                                   const Result<SupportOutcome>& outcome, const char* notice) {
  return after(ex, agent, id, form, outcome, notice);
}

http::Response show_console(Exchange& ex) {
  boost::json::object d;
  d["title"] = ex.t("console_title");
  auto q = ex.query().get("q");
  d["q"] = q;
  d["has_import"] = ex.services().account_import != nullptr;
  if (!q.empty()) {
    auto found = support(ex).search(q);
    if (!found) return ex.failure(found.error());
    boost::json::array rows;
    for (auto& a : *found) {
      auto blocked = support(ex).is_blocked(a);
      if (!blocked) return ex.failure(blocked.error());
      boost::json::object row{{"id", std::to_string(a.id)},
                              {"identifier", a.identifier},
                              {"display_name", a.display_name},
                              {"email", a.email},
                              {"rpps", a.rpps.value_or("")},
                              {"role", ex.t(std::string("role_") + to_string(a.role))},
                              {"status", ex.t(std::string("console_status_") + to_string(a.status))},
                              {"suspended", *blocked}};
      add_phone(row, a.phone);
      rows.push_back(std::move(row));
    }
    d["searched"] = true;
    d["count"] = rows.empty() ? ex.t("console_found_none")
                              : ex.tn("console_found", static_cast<long long>(rows.size()));
    d["has_results"] = !rows.empty();
    d["results"] = std::move(rows);
  }
  return ex.render("console_search", std::move(d));
}

http::Response show_console_account(Exchange& ex) {
  auto id = account_id_of(ex.query().get("id"));
  if (id == 0) return ex.error(404);
  auto v = support(ex).view(id);
  if (!v) return ex.failure(v.error());
  return ex.render("console_account", account_page(ex, ex.agent(), *v));
}

http::Response submit_console_reminder(Exchange& ex) {
  return action(ex, [&](const Agent& agent, const ConsoleTarget& target) {
    return after(ex, agent, target.id(), "reminder",
                 support(ex).send_identifier_reminder(target, agent, confirmation(ex)),
                 "reminder_sent");
  });
}

http::Response submit_console_reset(Exchange& ex) {
  return action(ex, [&](const Agent& agent, const ConsoleTarget& target) {
    return after(ex, agent, target.id(), "reset", support(ex).send_password_reset(target, agent, confirmation(ex)),
                 "reset_sent");
  });
}

http::Response submit_console_invitation(Exchange& ex) {
  return action(ex, [&](const Agent& agent, const ConsoleTarget& target) {
    return after(ex, agent, target.id(), "invite", support(ex).resend_invitation(target, agent, confirmation(ex)),
                 "invitation_sent");
  });
}

http::Response submit_console_temporary(Exchange& ex) {
  return action(ex, [&](const Agent& agent, const ConsoleTarget& target) {
    auto delivery = ex.form()->get("delivery") == "mail" ? TemporaryDelivery::MailToMember
                                                          : TemporaryDelivery::ShowToAgent;
    auto outcome = support(ex).issue_temporary_password(target, delivery, agent, confirmation(ex));
    if (!outcome) return ex.failure(outcome.error());
    if (std::holds_alternative<Refused>(*outcome)) return ex.error(403);
    if (std::holds_alternative<ReauthLockedOut>(*outcome)) return signed_out_by_reauth(ex);
    if (auto* invalid = std::get_if<Invalid>(&*outcome))
      return show_with_errors(ex, agent, target.id(), "temp", invalid->errors);
    auto& issued = std::get<TemporaryIssued>(*outcome);
    if (!issued.shown) return ex.redirect("/support/compte?id=" + std::to_string(target.id()) + "&info=temp_mailed");
    // Shown once, in this answer only: never in a URL, a redirect or a cache
    // (every answer is Cache-Control: no-store).
    boost::json::object d;
    d["title"] = ex.t("console_temp_title");
    d["id"] = std::to_string(target.id());
    d["identifier"] = target.account().identifier;
    d["password"] = issued.shown->password;
    add_spelling(ex, d, issued.shown->password);
    d["expires"] = ex.format_time(issued.expires_at);
    return ex.render("console_temporary", std::move(d));
  });
}

// The agent types their password once for the confirmation period, then
// back to the account page they came from (or the search).
http::Response submit_console_confirm(Exchange& ex) {
  const Agent& agent = ex.agent();
  auto id = account_id_of(ex.form()->get("id"));
  auto back = id ? "/support/compte?id=" + std::to_string(id) : std::string("/support");
  auto outcome = support(ex).confirm(agent, ex.form()->get("agent_password"));
  if (!outcome) return ex.failure(outcome.error());
  if (std::holds_alternative<ReauthLockedOut>(*outcome)) return signed_out_by_reauth(ex);
  if (auto* invalid = std::get_if<Invalid>(&*outcome)) {
    if (id == 0) return ex.redirect(back);
    return show_with_errors(ex, agent, id, "confirm", invalid->errors);
  }
  return renewed_redirect(ex, back + (id ? "&" : "?") + "info=confirmed#actions");
}

http::Response submit_console_end_sessions(Exchange& ex) {
  return action(ex, [&](const Agent& agent, const ConsoleTarget& target) {
    return after(ex, agent, target.id(), "sessions", support(ex).end_sessions(target, agent, confirmation(ex)),
                 "sessions_ended");
  });
}

http::Response submit_console_unlock(Exchange& ex) {
  return action(ex, [&](const Agent& agent, const ConsoleTarget& target) {
    return after(ex, agent, target.id(), "unlock", support(ex).lift_suspension(target, agent, confirmation(ex)),
                 "unlocked");
  });
}

http::Response submit_console_app_reset(Exchange& ex) {
  return action(ex, [&](const Agent& agent, const ConsoleTarget& target) {
    return after(ex, agent, target.id(), "app_reset", support(ex).reset_app(target, agent, confirmation(ex)),
                 "app_reset");
  });
}

http::Response submit_console_status(Exchange& ex) {
  return action(ex, [&](const Agent& agent, const ConsoleTarget& target) {
    bool enable = ex.form()->get("status") == "active";
    auto status = enable ? AccountStatus::Active : AccountStatus::Disabled;
    return after(ex, agent, target.id(), "status", support(ex).set_status(target, status, agent, confirmation(ex)),
                 enable ? "enabled" : "disabled");
  });
}

http::Response submit_console_email(Exchange& ex) {
  return action(ex, [&](const Agent& agent, const ConsoleTarget& target) {
    return after(ex, agent, target.id(), "email",
                 support(ex).correct_email(target, ex.form()->get("email"), agent, confirmation(ex)),
                 "email_corrected");
  });
}

http::Response submit_console_email_cancel(Exchange& ex) {
  return action(ex, [&](const Agent& agent, const ConsoleTarget& target) {
    return after(ex, agent, target.id(), "email_cancel", support(ex).cancel_email_change(target, agent, confirmation(ex)),
                 "email_change_cancelled");
  });
}

http::Response submit_console_phone(Exchange& ex) {
  return action(ex, [&](const Agent& agent, const ConsoleTarget& target) {
    return after(ex, agent, target.id(), "phone",
                 support(ex).correct_phone(target, ex.form()->get("phone"), agent, confirmation(ex)),
                 "phone_corrected");
  });
}

http::Response submit_console_role(Exchange& ex) {
  return action(ex, [&](const Agent& agent, const ConsoleTarget& target) {
    auto role = parse_role(ex.form()->get("role"));
    if (!role) return show_with_errors(ex, agent, target.id(), "role", {{"role", "required"}});
    return after(ex, agent, target.id(), "role", support(ex).set_role(target, *role, agent, confirmation(ex)),
                 "role_set");
  });
}

}  // namespace portier::web
