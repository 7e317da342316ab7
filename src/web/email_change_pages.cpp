// Changing the email address (flow/email_change/): Mon espace's request and
// code pages, the link pages for the new mailbox (/changement-courriel/
// confirmer) and for the old one (/changement-courriel/pas-moi). Opening a
// link changes nothing (mail filters fetch links): only the form's POST acts.
#include "web/form_errors.h"
#include "web/pages.h"
#include "web/session_cookies.h"

namespace portier::web {

namespace {

EmailChangeService& email_change(Exchange& ex) { return *ex.services().email_change; }

BrowserSession browser(Exchange& ex) {
  BrowserSession b;
  if (ex.account()) {
    b.account = ex.account()->id;
    b.hash = ex.services().sessions.hash_of(ex.session_token());
  }
  return b;
}

// The reauthentication's "wrong_code" is the app's code: the app's message says so.
FieldErrors app_wording(FieldErrors errors) {
  if (auto it = errors.find("email_app_code"); it != errors.end() && it->second == "wrong_code") it->second = "totp_wrong";
  return errors;
}

// The shared error summary (_error_summary) lists the fields it knows; this
// page's own fields go through its generic entries, in the form's order.
void summarise(Exchange& ex, boost::json::object& data) {
  static const std::pair<const char*, const char*> kLabels[] = {{"new_email", "email_change_field_new"},
                                                                {"email_password", "field_current_password"},
                                                                {"email_app_code", "email_change_field_app_code"}};
  boost::json::array entries;
  for (auto [field, label] : kLabels) {
    auto key = std::string("error_") + field;
    if (!data.contains(key)) continue;
    entries.push_back(boost::json::object{{"id", field}, {"label", ex.t(label)}, {"message", data[key]}});
  }
  if (!entries.empty()) data["console_errors"] = std::move(entries);
}

http::Response page(Exchange& ex, boost::json::object data, int status = 200) {
  const auto& a = *ex.account();
  data["title"] = data.contains("has_errors") ? data["title"] : boost::json::value(ex.t("email_change_title"));
  data["current_email"] = a.email;
  if (auto asks = ex.services().totp.is_enrolled(a.id); asks && *asks) data["asks_app_code"] = true;
  auto pending = email_change(ex).pending(a.id);
  if (!pending) return ex.failure(pending.error());
  if (*pending) {
    data["pending"] = true;
    data["pending_email"] = (*pending)->new_email;
    data["pending_expires"] = ex.format_time((*pending)->expires_at);
    data["pending_by_staff"] = (*pending)->by_staff;
  }
  auto info = ex.query().get("info");
  for (auto n : {"email_change_sent", "email_change_withdrawn"})
    if (info == n) data["notice"] = ex.t(std::string("notice_") + n);
  return ex.render("email_change", std::move(data), status);
}

http::Response link_unusable(Exchange& ex, const Error& e) {
  if (e.code != ErrorCode::NotFound && e.code != ErrorCode::Expired) return ex.failure(e);
  boost::json::object data{{"title", ex.t("email_change_link_invalid_title")},
                           {"heading", ex.t("email_change_link_invalid_title")},
                           {"text", ex.t(e.code == ErrorCode::Expired ? "email_change_link_expired"
                                                                      : "email_change_link_invalid")},
                           {"invalid", true}};
  return ex.render("email_change_result", std::move(data), e.code == ErrorCode::Expired ? 410 : 404);
}

http::Response link_page(Exchange& ex, bool cancel, const std::string& token, const EmailChangeLinkView& v) {
  boost::json::object d;
  d["title"] = ex.t(cancel ? "email_change_cancel_title" : "email_change_confirm_title");
  d["cancel"] = cancel;
  d["token"] = token;
  d["identifier"] = v.identifier;
  d["masked_new_email"] = v.masked_new_email;
  d["expires"] = ex.format_time(v.expires_at);
  return ex.render("email_change_link", std::move(d));
}

}  // namespace

http::Response show_email_change(Exchange& ex) { return page(ex, {}); }

http::Response submit_email_change(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto& f = *ex.form();
  auto outcome = email_change(ex).request(a->id, f.get("new_email"), f.get("email_password"), f.get("email_app_code"),
                                          ex.lang(), browser(ex), ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (std::holds_alternative<ReauthLockedOut>(*outcome)) return signed_out_by_reauth(ex);
  if (auto* invalid = std::get_if<Invalid>(&*outcome)) {
    boost::json::object d{{"title", ex.t("email_change_title")}, {"new_email", f.get("new_email")}};
    add_field_errors(ex, d, app_wording(invalid->errors), {"new_email", "email_password", "email_app_code"});
    summarise(ex, d);
    return page(ex, std::move(d), 422);
  }
  return ex.redirect("/mon-espace/courriel?info=email_change_sent");
}

http::Response submit_email_change_code(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto outcome = email_change(ex).confirm_code(a->id, ex.form()->get("code"), browser(ex), ex.client());
  if (!outcome && outcome.error().code == ErrorCode::NotFound) return ex.redirect("/mon-espace/courriel");
  if (!outcome) return ex.failure(outcome.error());
  if (auto* wrong = std::get_if<EmailCodeWrong>(&*outcome)) {
    boost::json::object d{{"title", ex.t("email_change_title")}};
    add_field_errors(ex, d, {{"code", wrong->attempts_left > 0 ? "email_code_wrong" : "email_code_exhausted"}},
                     {"code"});
    if (wrong->attempts_left > 0)
      d["attempts_left"] = ex.t("email_change_attempts_left", {{"count", std::to_string(wrong->attempts_left)}});
    return page(ex, std::move(d), 422);
  }
  return ex.redirect("/mon-espace?info=email_changed");
}

http::Response submit_email_change_withdraw(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto r = email_change(ex).cancel(a->id, std::nullopt, {}, ex.client());
  if (!r) return ex.failure(r.error());
  return ex.redirect("/mon-espace/courriel?info=email_change_withdrawn");
}

http::Response show_email_change_confirm(Exchange& ex) {
  const auto& token = ex.query().get("jeton");
  auto v = email_change(ex).check_link(token);
  if (!v) return link_unusable(ex, v.error());
  return link_page(ex, false, token, *v);
}

http::Response submit_email_change_confirm(Exchange& ex) {
  auto done = email_change(ex).confirm_link(ex.form()->get("jeton"), browser(ex), ex.client());
  if (!done) return link_unusable(ex, done.error());
  boost::json::object d{{"title", ex.t("email_change_done_title")},
                        {"heading", ex.t("email_change_done_title")},
                        {"text", ex.t("email_change_done_text")},
                        {"done", true}};
  return ex.render("email_change_result", std::move(d));
}

http::Response show_email_change_cancel(Exchange& ex) {
  const auto& token = ex.query().get("jeton");
  auto v = email_change(ex).check_cancel_link(token);
  if (!v) return link_unusable(ex, v.error());
  return link_page(ex, true, token, *v);
}

http::Response submit_email_change_cancel(Exchange& ex) {
  auto r = email_change(ex).cancel_by_link(ex.form()->get("jeton"), ex.client());
  if (!r) return link_unusable(ex, r.error());
  boost::json::object d{{"title", ex.t("email_change_cancelled_title")},
                        {"heading", ex.t("email_change_cancelled_title")},
                        {"text", ex.t("email_change_cancelled_text")},
                        {"cancelled", true}};
  return ex.render("email_change_result", std::move(d));
}

}  // namespace portier::web
