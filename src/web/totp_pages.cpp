// Mon espace → authenticator app: enrolment (QR code and key, confirmed by a
// first code and the current password), new recovery codes, removal. Each
// action asks for the current password again, and once an app is enrolled a
// code from it or a recovery code too (flow/settings/app_settings_service.h):
// neither a session left open nor a password learnt from a reset by mail may
// swap or drop the strongest factor. GET only shows: the key is drawn by
// POST /mon-espace/application/nouvelle-cle and stays pending server-side
// (encrypted, never in the page's forms), so a reload shows the same key
// until it is confirmed, cancelled (POST …/annuler) or 15 minutes old.
// The confirming code proves the app: the session then counts as signed in
// with it (the support console asks for that), audited.
#include <boost/json/array.hpp>

#include "common/encoding.h"
#include "credential/qr_svg.h"
#include "flow/settings/app_settings_service.h"
#include "web/account_data.h"
#include "web/form_errors.h"
#include "web/pages.h"
#include "web/session_cookies.h"

namespace portier::web {

namespace {

AppSettingsService& apps(Exchange& ex) { return *ex.services().app_settings; }

// The key as members copy it by hand: groups of four, like the apps show it.
std::string grouped_by_four(const std::string& key) {
  std::string out;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (i && i % 4 == 0) out += ' ';
    out += key[i];
  }
  return out;
}

bool has_app(Exchange& ex, const Account& a) {
  auto enrolled = ex.services().totp.is_enrolled(a.id);
  return enrolled && *enrolled;
}

// `e` empty: no key drawn yet, the page offers to draw one (a POST).
http::Response enrolment_page(Exchange& ex, const Account& a, const TotpEnrolment* e, const FieldErrors& errors,
                              int status) {
  boost::json::object d;
  d["title"] = ex.t("totp_enrol_title");
  if (e) {
    // Drawn again with the label in the page's language (the service's copy
    // is labelled without one).
    auto svg = qr_svg(e->otpauth_uri, ex.t("totp_qr_label"));
    if (!svg) return ex.failure(svg.error());
    d["has_key"] = true;
    d["qr_svg"] = *svg;
    d["key_grouped"] = grouped_by_four(e->secret_base32);
    d["key_lifetime"] =
        ex.t("espace_totp_key_lifetime", {{"minutes", std::to_string(TotpService::kPendingLifetime.count())}});
  }
  if (has_app(ex, a)) d["replacing"] = true;
  if (ex.query().get("info") == "totp_restart") d["notice"] = ex.t("notice_totp_restart");
  add_field_errors(ex, d, errors, {"totp_code", "current_password", "current_app_code"});
  return ex.render("totp_enrol", std::move(d), status);
}

// Recovery codes are shown on this page and nowhere else, ever.
// They can be printed (print stylesheet), copied and saved as a text file:
// static/js/recovery-codes.js builds the file in the browser from the codes
// on screen, so no copy of them is ever kept to serve later.
http::Response codes_page(Exchange& ex, const Account& a, const std::vector<std::string>& codes, const char* notice) {
  boost::json::array list;
  std::string text;
  for (auto& c : codes) {
    list.push_back(boost::json::object{{"code", c}});
    text += c + "\n";
  }
  return ex.render("totp_codes", boost::json::object{{"title", ex.t("totp_codes_title")},
                                                     {"codes", std::move(list)},
                                                     {"codes_text", text},
                                                     {"identifier", a.identifier},
                                                     {"created", ex.format_time(ex.services().clock.now())},
                                                     {"file_name", "codes-de-secours-" + a.identifier + ".txt"},
                                                     {"notice", ex.t(notice)}});
}

// Mon espace again, with the problems beside the fields of the app section.
http::Response account_with_errors(Exchange& ex, const Account& a, const ReauthRefused& refused) {
  auto data = account_data(ex, a, nullptr);
  FieldErrors errors;
  if (!refused.password_problem.empty()) errors["totp_password"] = refused.password_problem;
  if (!refused.app_code_problem.empty()) errors["totp_app_code"] = refused.app_code_problem;
  add_field_errors(ex, data, errors, {"totp_password", "totp_app_code"});
  data["open_application"] = true;
  return ex.render("account", std::move(data), 422);
}

ReauthProof proof(Exchange& ex, const char* app_field) {
  auto& f = *ex.form();
  return ReauthProof{f.get("current_password"), trim(f.get(app_field))};
}

}  // namespace

http::Response show_totp_enrolment(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto pending = apps(ex).pending(*a);
  if (!pending) {
    if (pending.error().code == ErrorCode::NotFound) return enrolment_page(ex, *a, nullptr, {}, 200);
    return ex.failure(pending.error());
  }
  return enrolment_page(ex, *a, &*pending, {}, 200);
}

http::Response submit_totp_new_key(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  if (auto e = apps(ex).new_key(*a); !e) return ex.failure(e.error());
  ex.services().audit.record("totp.key_drawn", a->id, a->id, ex.client());
  return ex.redirect("/mon-espace/application#totp_code");
}

http::Response submit_totp_enrolment(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto& f = *ex.form();
  auto code = std::string(trim(f.get("code")));
  auto pending = apps(ex).pending(*a);
  if (!pending) {
    // Confirmed meanwhile in another tab, or never drawn: start again.
    if (pending.error().code == ErrorCode::NotFound) return ex.redirect("/mon-espace/application?info=totp_restart");
    return ex.failure(pending.error());
  }
  FieldErrors errors;
  if (code.empty()) {
    errors["totp_code"] = "required";
    if (f.get("current_password").empty()) errors["current_password"] = "required";
    return enrolment_page(ex, *a, &*pending, errors, 422);
  }
  auto outcome = apps(ex).confirm(*a, code, proof(ex, "current_app_code"), ex.client());
  if (!outcome) {
    auto c = outcome.error().code;
    if (c == ErrorCode::NotFound || c == ErrorCode::FlowStateInvalid)
      return ex.redirect("/mon-espace/application?info=totp_restart");
    return ex.failure(outcome.error());
  }
  if (std::holds_alternative<ReauthLockedOut>(*outcome)) return signed_out_by_reauth(ex);
  if (auto* done = std::get_if<AppChanged>(&*outcome)) {
    // A code of the app this session now holds: the session has proved the
    // app, as a second step with it would have.
    if (auto r = ex.services().sessions.record_app_proof(ex.session_token()); !r) return ex.failure(r.error());
    ex.services().audit.record("session.app_proved", a->id, a->id, ex.client(), "authenticator app enrolment");
    if (auto r = renew_session(ex); !r) return ex.failure(r.error());  // the password was typed again
    return codes_page(ex, *a, done->recovery_codes, done->replaced ? "factors_notice_app_replaced" : "notice_totp_enrolled");
  }
  if (auto* refused = std::get_if<ReauthRefused>(&*outcome)) {
    if (!refused->password_problem.empty()) errors["current_password"] = refused->password_problem;
    if (!refused->app_code_problem.empty()) errors["current_app_code"] = refused->app_code_problem;
  } else {
    errors["totp_code"] = "totp_wrong";
  }
  // The same key again: the member has already added it to the app.
  return enrolment_page(ex, *a, &*pending, errors, 422);
}

http::Response submit_totp_cancel(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  if (auto r = ex.services().totp.cancel_enrolment(a->id); !r) return ex.failure(r.error());
  ex.services().audit.record("totp.enrolment_cancelled", a->id, a->id, ex.client());
  return ex.redirect("/mon-espace?info=totp_cancelled#application");
}

http::Response submit_totp_codes(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto outcome = apps(ex).regenerate_codes(*a, proof(ex, "app_code"), ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (std::holds_alternative<ReauthLockedOut>(*outcome)) return signed_out_by_reauth(ex);
  if (auto* refused = std::get_if<ReauthRefused>(&*outcome)) return account_with_errors(ex, *a, *refused);
  if (auto r = renew_session(ex); !r) return ex.failure(r.error());  // the password was typed again
  return codes_page(ex, *a, std::get<AppChanged>(*outcome).recovery_codes, "notice_totp_codes_regenerated");
}

http::Response submit_totp_removal(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto outcome = apps(ex).remove(*a, proof(ex, "app_code"), ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (std::holds_alternative<ReauthLockedOut>(*outcome)) return signed_out_by_reauth(ex);
  if (auto* refused = std::get_if<ReauthRefused>(&*outcome)) return account_with_errors(ex, *a, *refused);
  return renewed_redirect(ex, "/mon-espace?info=totp_removed#application");
}

}  // namespace portier::web
