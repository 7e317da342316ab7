#include "web/form_errors.h"
#include "web/pages.h"
#include "web/session_cookies.h"

namespace portier::web {

namespace {

// Notices shown above the sign-in form after a redirect (?info=...).
const char* kNotices[] = {"signed_out", "password_changed", "flow_expired", "setup_done", "session_expired", "password_reset"};

http::Response sign_in_page(Exchange& ex, boost::json::object data, int status = 200) {
  data["title"] = ex.t("sign_in_title");
  auto info = ex.query().get("info");
  for (auto n : kNotices)
    if (info == n) data["notice"] = ex.t(std::string("notice_") + n);
  return ex.render("sign_in", std::move(data), status);
}

}  // namespace

http::Response show_sign_in(Exchange& ex) {
  if (ex.account()) return ex.redirect("/mon-espace");
  return sign_in_page(ex, {});
}

http::Response submit_sign_in(Exchange& ex) {
  auto& form = *ex.form();
  const auto& identifier = form.get("identifier");
  const auto& password = form.get("password");
  FieldErrors missing;
  if (identifier.empty()) missing["identifier"] = "required";
  if (password.empty()) missing["password"] = "required";
  boost::json::object data{{"identifier", identifier}};
  if (!missing.empty()) {
    data["title"] = ex.t("sign_in_title");
    add_field_errors(ex, data, missing, {"identifier", "password"});
    return ex.render("sign_in", std::move(data), 422);
  }

  auto outcome = ex.services().sign_in.submit_password(identifier, password, ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (auto* done = std::get_if<SignedIn>(&*outcome)) {
    // A fresh session id at every sign-in; any session this browser had ends.
    if (!ex.cookie(kSessionCookie).empty()) (void)ex.services().sessions.end(ex.cookie(kSessionCookie));
    set_session_cookie(ex, done->session.token);
    return ex.redirect("/mon-espace");
  }
  if (auto* change = std::get_if<PasswordChangeRequired>(&*outcome)) {
    set_flow_cookie(ex, change->flow_token, ex.services().config.security.sign_in_flow_lifetime);
    return ex.redirect("/connexion/nouveau-mot-de-passe");
  }
  auto reason = std::get<Rejected>(*outcome).reason;
  const char* key = reason == RejectReason::AccountDisabled           ? "sign_in_disabled"
                    : reason == RejectReason::TemporaryPasswordExpired ? "sign_in_temporary_expired"
                                                                       : "sign_in_invalid";
  data["title"] = ex.t("error_prefix") + " " + ex.t("sign_in_title");
  data["form_error"] = ex.t(key);
  return sign_in_page(ex, std::move(data), 401);
}

http::Response show_required_change(Exchange& ex) {
  auto flow = ex.services().sign_in.pending_change(ex.cookie(kFlowCookie));
  if (!flow) {
    clear_flow_cookie(ex);
    return ex.redirect("/connexion?info=flow_expired");
  }
  boost::json::object data{{"title", ex.t("required_change_title")},
                           {"expires", ex.format_time(flow->expires_at)}};
  return ex.render("required_change", std::move(data));
}

http::Response submit_required_change(Exchange& ex) {
  auto& form = *ex.form();
  auto outcome = ex.services().sign_in.submit_new_password(ex.cookie(kFlowCookie), form.get("new_password"),
                                                          form.get("confirm_password"), ex.client());
  if (!outcome) {
    auto code = outcome.error().code;
    if (code == ErrorCode::NotFound || code == ErrorCode::Expired || code == ErrorCode::FlowStateInvalid) {
      clear_flow_cookie(ex);
      return ex.redirect("/connexion?info=flow_expired");
    }
    return ex.failure(outcome.error());
  }
  if (auto* rejected = std::get_if<NewPasswordRejected>(&*outcome)) {
    auto flow = ex.services().sign_in.pending_change(ex.cookie(kFlowCookie));
    boost::json::object data{{"title", ex.t("required_change_title")}};
    if (flow) data["expires"] = ex.format_time(flow->expires_at);
    const char* field = rejected->problem == "mismatch" ? "confirm_password" : "new_password";
    add_field_errors(ex, data, {{field, rejected->problem}}, {"new_password", "confirm_password"});
    return ex.render("required_change", std::move(data), 422);
  }
  auto& done = std::get<SignedIn>(*outcome);
  clear_flow_cookie(ex);
  set_session_cookie(ex, done.session.token);
  return ex.redirect("/mon-espace?info=password_changed");
}

http::Response sign_out(Exchange& ex) {
  if (auto& account = ex.account()) {
    (void)ex.services().sessions.end(ex.session_token());
    ex.services().audit.record("sign_out", account->id, account->id, ex.client());
  }
  clear_session_cookie(ex);
  return ex.redirect("/connexion?info=signed_out");
}

}  // namespace portier::web
