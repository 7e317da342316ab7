#include <algorithm>

#include <boost/json/array.hpp>

#include "account/masking.h"
#include "flow/email_change/email_change_service.h"
#include "web/account_data.h"
#include "web/card_pages.h"
#include "web/federation_link_pages.h"
#include "web/form_errors.h"
#include "web/oidc_pages.h"
#include "web/pages.h"
#include "web/session_cookies.h"

namespace portier::web {

namespace {

// The confirmations Mon espace shows (?info=…), and the fold each opens so
// that she sees the change where it happened (nullptr: only the summary).
struct AccountNotice {
  const char* info;
  const char* opens;
};
const AccountNotice kAccountNotices[] = {
    {"profile_saved", "open_profil"},     {"password_changed", nullptr},     {"sessions_ended", "open_sessions"},
    {"session_ended", "open_sessions"},   {"session_gone", "open_sessions"}, {"totp_removed", "open_application"},
    {"totp_cancelled", "open_application"}, {"email_changed", nullptr},      {"phone_saved", "open_codes"},
    {"phone_removed", "open_codes"},      {"channel_saved", "open_codes"},
    {"application_withdrawn", "open_applications"},
    {"card_unlinked", "open_cards"},      {"card_linked", "open_cards"},
    {"federation_unlinked", "open_federation"},
    {"federation_linked", "open_federation"},
    {"federation_account_created", nullptr},
};

// A short, readable browser name from a User-Agent; the full string is in the title attribute.
std::string browser_label(const std::string& ua) {
  if (ua.empty()) return "?";
  for (auto name : {"Edg", "Firefox", "Chrome", "Safari"})
    if (ua.find(name) != std::string::npos) return std::string(name == std::string("Edg") ? "Edge" : name);
  return ua.substr(0, 40);
}

}  // namespace

boost::json::object account_data(Exchange& ex, const Account& a, const ProfileInput* profile) {
  boost::json::object d;
  d["title"] = ex.t("account_title");
  d["identifier"] = a.identifier;
  d["role"] = ex.t(std::string("role_") + to_string(a.role));
  d["display_name"] = profile ? profile->display_name : a.display_name;
  d["email"] = a.email;  // changed through /mon-espace/courriel only
  if (has_verified_phone(a)) d["masked_phone"] = mask_phone(*a.phone);
  else if (a.phone) d["unverified_phone"] = *a.phone;
  d["channel_email"] = a.code_channel != CodeChannel::Sms || !has_verified_phone(a);
  d["channel_sms"] = a.code_channel == CodeChannel::Sms && has_verified_phone(a);
  d["rpps"] = a.rpps.value_or("");
  d["has_rpps"] = a.rpps && !a.rpps->empty();
  // Her own words, which the password checklist warns about as she types
  // (her name first: the word it names is the first found).
  d["password_words"] = a.display_name + " " + a.identifier + " " + a.email.substr(0, a.email.find('@'));
  d["summary_channel"] = ex.t(d["channel_sms"].as_bool() ? "espace_channel_sms" : "espace_channel_email",
                              {{"phone", d.contains("masked_phone") ? std::string(d["masked_phone"].as_string()) : ""},
                               {"email", a.email}});
  add_phone_robot_field(ex, a, d);
  if (auto* changes = ex.services().email_change) {
    if (auto pending = changes->pending(a.id); pending && *pending) {
      d["pending_email"] = (*pending)->new_email;
      d["summary_pending_email"] = ex.t("espace_pending_email", {{"email", (*pending)->new_email},
                                                                  {"until", ex.format_time((*pending)->expires_at)}});
    }
  }

  boost::json::array sessions;
  auto current = ex.services().sessions.hash_of(ex.session_token());
  if (auto list = ex.services().sessions.list(a.id)) {
    for (auto& s : *list) {
      sessions.push_back(boost::json::object{{"handle", s.id_hash},
                                             {"current", s.id_hash == current},
                                             {"browser", browser_label(s.user_agent)},
                                             {"user_agent", s.user_agent},
                                             {"ip", s.ip},
                                             {"created", ex.format_time(s.created_at)},
                                             {"last_seen", ex.format_time(s.last_seen_at)}});
    }
    d["has_other_sessions"] = list->size() > 1;
    d["summary_sessions"] = list->size() <= 1
                                ? ex.t("espace_sessions_one")
                                : ex.t("espace_sessions_many", {{"count", std::to_string(list->size())}});
  }
  d["sessions"] = std::move(sessions);

  boost::json::array activity;
  if (auto events = ex.services().audit.recent_for_account(a.id, 15)) {
    // The newest successful sign-in is the one in progress; the one before
    // is what the member wants to check ("was that me?").
    int successes = 0;
    for (auto& e : *events)
      if (e.event == "sign_in.success" && ++successes == 2) d["last_sign_in"] = ex.format_time(e.at);
    for (auto& e : *events) {
      std::string key = "audit_" + e.event;
      std::replace(key.begin(), key.end(), '.', '_');
      // An event this release names no label for still reads as words.
      auto what = ex.t(key);
      if (what == key) what = ex.t("audit_other");
      activity.push_back(boost::json::object{{"what", what}, {"when", ex.format_time(e.at)}, {"ip", e.ip}});
    }
  }
  d["activity"] = std::move(activity);

  auto& totp = ex.services().totp;
  if (auto enrolled = totp.is_enrolled(a.id); enrolled && *enrolled) {
    d["totp_enrolled"] = true;
    d["second_factor"] = true;
    if (auto codes = ex.services().second_step.codes_allowed(a.id); codes && !*codes) d["app_only"] = true;
    if (auto left = totp.remaining_recovery_codes(a.id))
      d["totp_codes_left"] = ex.t("totp_recovery_remaining", {{"count", std::to_string(*left)}});
  }

  if (has_verified_phone(a)) d["second_factor"] = true;
  add_applications(ex, a, d);
  add_cards(ex, a, d);
  add_federated_links(ex, a, d);

  auto info = ex.query().get("info");
  for (auto& n : kAccountNotices) {
    if (info != n.info) continue;
    d["notice"] = ex.t(std::string("notice_") + n.info);
    if (n.opens) d[n.opens] = true;
  }
  return d;
}

http::Response show_account(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  return ex.render("account", account_data(ex, *a, nullptr));
}

http::Response submit_profile(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto& f = *ex.form();
  ProfileInput input{f.get("display_name")};
  auto outcome = ex.services().settings.update_profile(a->id, input, ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (auto* invalid = std::get_if<Invalid>(&*outcome)) {
    auto data = account_data(ex, *a, &input);
    add_field_errors(ex, data, invalid->errors, {"display_name"});
    data["open_profil"] = true;
    return ex.render("account", std::move(data), 422);
  }
  return ex.redirect("/mon-espace?info=profile_saved");
}

http::Response submit_password_change(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto& f = *ex.form();
  auto outcome = ex.services().settings.change_password(a->id, f.get("current_password"), f.get("new_password"),
                                                        f.get("confirm_password"), ex.session_token(), ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (std::holds_alternative<ReauthLockedOut>(*outcome)) return signed_out_by_reauth(ex);
  if (auto* invalid = std::get_if<Invalid>(&*outcome)) {
    auto data = account_data(ex, *a, nullptr);
    add_field_errors(ex, data, invalid->errors, {"current_password", "new_password", "confirm_password"});
    data["open_password"] = true;
    return ex.render("account", std::move(data), 422);
  }
  return renewed_redirect(ex, "/mon-espace?info=password_changed");
}

namespace {

// The confirmation page of ending another session: what is being ended, and
// the password asked again (ASVS 7.5.2: someone holding a stolen session must
// not be able to throw the member out of their own).
http::Response session_end_page(Exchange& ex, const Account& a, const std::string& which, const FieldErrors& errors) {
  boost::json::object d;
  d["handle"] = which;
  d["others"] = which == "others";
  if (which != "others") {
    auto list = ex.services().sessions.list(a.id);
    if (!list) return ex.failure(list.error());
    auto it = std::find_if(list->begin(), list->end(), [&](const Session& s) { return s.id_hash == which; });
    if (it == list->end()) return ex.redirect("/mon-espace?info=session_gone");
    d["browser"] = browser_label(it->user_agent);
    d["ip"] = it->ip;
    d["created"] = ex.format_time(it->created_at);
  }
  if (!errors.empty()) add_field_errors(ex, d, errors, {"current_password"});
  d["title"] = (errors.empty() ? "" : ex.t("error_prefix") + " ") + ex.t("session_end_heading");
  return ex.render("session_end", std::move(d), errors.empty() ? 200 : 422);
}

}  // namespace

http::Response submit_end_sessions(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto& f = *ex.form();
  auto& which = f.get("session");
  // Ending this browser's own session is signing out: nothing to prove.
  if (which == ex.services().sessions.hash_of(ex.session_token())) {
    if (auto r = ex.services().sessions.end(ex.session_token()); !r) return ex.failure(r.error());
    ex.services().audit.record("session.end", a->id, a->id, ex.client());
    clear_session_cookie(ex);
    return ex.redirect("/connexion?info=signed_out");
  }
  if (f.get("confirm") != "1") return session_end_page(ex, *a, which, {});
  auto checked = ex.services().reauth->check(*a, {f.get("current_password")}, ReauthFactor::PasswordOnly,
                                             which == "others" ? "session.end_others" : "session.end", ex.client());
  if (!checked) return ex.failure(checked.error());
  if (std::holds_alternative<ReauthLockedOut>(*checked)) return signed_out_by_reauth(ex);
  if (auto* refused = std::get_if<ReauthRefused>(&*checked))
    return session_end_page(ex, *a, which, {{"current_password", refused->password_problem}});
  if (which == "others") {
    auto n = ex.services().sessions.end_all(a->id, ex.session_token());
    if (!n) return ex.failure(n.error());
    ex.services().audit.record("session.end_others", a->id, a->id, ex.client(), std::to_string(*n) + " ended");
  } else {
    auto r = ex.services().sessions.end_by_hash(a->id, which);
    if (!r && r.error().code == ErrorCode::NotFound) return ex.redirect("/mon-espace?info=session_gone");
    if (!r) return ex.failure(r.error());
    ex.services().audit.record("session.end", a->id, a->id, ex.client());
  }
  return renewed_redirect(ex, which == "others" ? "/mon-espace?info=sessions_ended" : "/mon-espace?info=session_ended");
}

}  // namespace portier::web
