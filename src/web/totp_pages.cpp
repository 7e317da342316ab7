// Mon espace → authenticator app: enrolment (QR code and key, confirmed by a
// first code and the current password), new recovery codes, removal. Each
// action asks for the current password again: a session left open on a
// shared computer must not be enough to take over or drop the second step.
#include <boost/json/array.hpp>

#include "credential/password_policy.h"
#include "common/encoding.h"
#include "credential/qr_svg.h"
#include "web/account_data.h"
#include "web/form_errors.h"
#include "web/pages.h"
#include "web/session_cookies.h"

namespace portier::web {

namespace {

// The key as members copy it by hand: groups of four, like the apps show it.
std::string grouped_by_four(const std::string& key) {
  std::string out;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (i && i % 4 == 0) out += ' ';
    out += key[i];
  }
  return out;
}

// The password again (session/reauthentication.h): "" when it is right,
// "locked_out" when the wrong answers just ended the account's sessions,
// else the problem id to show beside the field.
Result<std::string> password_problem(Exchange& ex, const Account& a, const std::string& password,
                                     std::string_view purpose) {
  auto checked = ex.services().reauth->check(a, {password}, ReauthFactor::PasswordOnly, purpose, ex.client());
  if (!checked) return tl::unexpected(checked.error());
  if (std::holds_alternative<ReauthLockedOut>(*checked)) return std::string("locked_out");
  if (auto* refused = std::get_if<ReauthRefused>(&*checked)) return refused->password_problem;
  return std::string();
}

http::Response enrolment_page(Exchange& ex, const Account& a, const TotpEnrolment& e, const FieldErrors& errors,
                              int status) {
  boost::json::object d;
  d["title"] = ex.t("totp_enrol_title");
  // Drawn again with the label in the page's language (the service's copy is
  // labelled without one).
  auto svg = qr_svg(e.otpauth_uri, ex.t("totp_qr_label"));
  if (!svg) return ex.failure(svg.error());
  d["qr_svg"] = *svg;
  d["key_grouped"] = grouped_by_four(e.secret_base32);
  if (auto enrolled = ex.services().totp.is_enrolled(a.id); enrolled && *enrolled) d["replacing"] = true;
  if (ex.query().get("info") == "totp_restart") d["notice"] = ex.t("notice_totp_restart");
  add_field_errors(ex, d, errors, {"totp_code", "current_password"});
  return ex.render("totp_enrol", std::move(d), status);
}

// Recovery codes are shown on this page and nowhere else, ever.
http::Response codes_page(Exchange& ex, const std::vector<std::string>& codes, const char* notice) {
  boost::json::array list;
  for (auto& c : codes) list.push_back(boost::json::object{{"code", c}});
  return ex.render("totp_codes",
                   boost::json::object{{"title", ex.t("totp_codes_title")}, {"codes", std::move(list)},
                                       {"notice", ex.t(notice)}});
}

// Mon espace again, with the problem beside the password of the app section.
http::Response account_with_error(Exchange& ex, const Account& a, const std::string& problem) {
  auto data = account_data(ex, a, nullptr);
  add_field_errors(ex, data, {{"totp_password", problem}}, {"totp_password"});
  return ex.render("account", std::move(data), 422);
}

}  // namespace

http::Response show_totp_enrolment(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto e = ex.services().totp.start_enrolment(*a);
  if (!e) return ex.failure(e.error());
  return enrolment_page(ex, *a, *e, {}, 200);
}

http::Response submit_totp_enrolment(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto& f = *ex.form();
  auto& totp = ex.services().totp;
  FieldErrors errors;
  auto code = std::string(trim(f.get("code")));
  if (code.empty()) errors["totp_code"] = "required";
  auto problem = password_problem(ex, *a, f.get("current_password"), "totp_enrolment");
  if (!problem) return ex.failure(problem.error());
  if (*problem == "locked_out") return signed_out_by_reauth(ex);
  if (!problem->empty()) errors["current_password"] = *problem;
  if (errors.empty()) {
    auto confirmed = totp.confirm_enrolment(a->id, code);
    if (!confirmed) {
      // Confirmed meanwhile in another tab, or replaced by a newer enrolment:
      // start again from a fresh key rather than show a dead one.
      if (confirmed.error().code == ErrorCode::NotFound || confirmed.error().code == ErrorCode::FlowStateInvalid)
        return ex.redirect("/mon-espace/application?info=totp_restart");
      return ex.failure(confirmed.error());
    }
    if (*confirmed) {
      ex.services().audit.record("totp.enrolled", a->id, a->id, ex.client());
      return codes_page(ex, **confirmed, "notice_totp_enrolled");
    }
    errors["totp_code"] = "totp_wrong";
  }
  // The same key again: the member has already added it to the app.
  auto pending = totp.pending_enrolment(*a);
  if (!pending) {
    if (pending.error().code == ErrorCode::NotFound) return ex.redirect("/mon-espace/application?info=totp_restart");
    return ex.failure(pending.error());
  }
  return enrolment_page(ex, *a, *pending, errors, 422);
}

http::Response submit_totp_codes(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto problem = password_problem(ex, *a, ex.form()->get("current_password"), "totp_recovery_codes");
  if (!problem) return ex.failure(problem.error());
  if (*problem == "locked_out") return signed_out_by_reauth(ex);
  if (!problem->empty()) return account_with_error(ex, *a, *problem);
  auto codes = ex.services().totp.regenerate_recovery_codes(a->id);
  if (!codes) return ex.failure(codes.error());
  ex.services().audit.record("totp.recovery_codes_regenerated", a->id, a->id, ex.client());
  return codes_page(ex, *codes, "notice_totp_codes_regenerated");
}

http::Response submit_totp_removal(Exchange& ex) {
  auto& a = ex.account();  // Access::Member: signed in
  auto problem = password_problem(ex, *a, ex.form()->get("current_password"), "totp_removal");
  if (!problem) return ex.failure(problem.error());
  if (*problem == "locked_out") return signed_out_by_reauth(ex);
  if (!problem->empty()) return account_with_error(ex, *a, *problem);
  if (auto r = ex.services().totp.remove(a->id); !r) return ex.failure(r.error());
  ex.services().audit.record("totp.removed", a->id, a->id, ex.client());
  return ex.redirect("/mon-espace?info=totp_removed#application");
}

}  // namespace portier::web
