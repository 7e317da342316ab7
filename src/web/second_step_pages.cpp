// The second step of sign-in: choose email, SMS or the app, receive a code,
// type it. The flow cookie of the password step carries the browser through.
#include "web/cookies.h"
#include "web/pages.h"
#include "web/session_cookies.h"

namespace portier::web {

namespace {

http::Response restart(Exchange& ex) {
  clear_flow_cookie(ex);
  return ex.redirect("/connexion?info=flow_expired");
}

http::Response second_step_page(Exchange& ex, const SecondStepView& v, boost::json::object data, int status = 200) {
  data["title"] = ex.t(data.contains("error_code") ? "second_step_title_error" : "second_step_title");
  data["identifier"] = v.identifier;
  data["masked_email"] = v.masked_email;
  if (v.masked_phone) data["masked_phone"] = *v.masked_phone;
  data["has_app"] = v.has_app;
  data["codes_allowed"] = v.codes_allowed;
  data["pre_email"] = v.preselected == SecondStepMethod::Email;
  data["pre_sms"] = v.preselected == SecondStepMethod::Sms;
  data["attempts_left"] = std::to_string(v.attempts_left);
  if (v.sent_via) {
    data["sent"] = true;
    data["sent_to"] = v.sent_to;
    data["sent_by_sms"] = *v.sent_via == SecondStepMethod::Sms;
    data["code_expires"] = ex.format_time(v.code_expires_at);
    if (ex.services().clock.now() < v.resend_at)
      data["resend_wait"] = ex.t("recovery_resend_wait", {{"time", ex.format_time(v.resend_at)}});
  }
  auto info = ex.query().get("info");
  if (info == "too_soon") data["notice"] = ex.t("notice_second_step_too_soon");
  if (info == "cap") data["notice"] = ex.t("notice_second_step_cap");
  return ex.render("second_step", std::move(data), status);
}

}  // namespace

http::Response show_second_step(Exchange& ex) {
  auto view = ex.services().second_step.view(ex.cookie(kFlowCookie));
  if (!view) return restart(ex);
  return second_step_page(ex, *view, {});
}

http::Response submit_second_step_send(Exchange& ex) {
  auto via = parse_second_step_method(ex.form()->get("via"));
  if (!via || (*via != SecondStepMethod::Email && *via != SecondStepMethod::Sms)) return ex.error(400, "error_bad_form");
  auto sent = ex.services().second_step.send(ex.cookie(kFlowCookie), *via, ex.lang(), ex.client());
  if (!sent) {
    auto code = sent.error().code;
    if (code == ErrorCode::InvalidInput) return ex.error(400, "error_bad_form");
    if (code == ErrorCode::NotFound || code == ErrorCode::Expired || code == ErrorCode::FlowStateInvalid) return restart(ex);
    return ex.failure(sent.error());
  }
  if (std::holds_alternative<SendTooSoon>(*sent)) return ex.redirect("/connexion/code?info=too_soon");
  if (std::holds_alternative<SendCapReached>(*sent)) return ex.redirect("/connexion/code?info=cap");
  if (std::holds_alternative<SendNotAllowed>(*sent)) return ex.error(403, "factors_problem_app_only");
  return ex.redirect("/connexion/code#code");
}

http::Response submit_second_step_code(Exchange& ex) {
  auto& form = *ex.form();
  auto method = parse_second_step_method(form.get("method"));
  const auto& code = form.get("code");
  auto& svc = ex.services();
  auto view = svc.second_step.view(ex.cookie(kFlowCookie));
  if (!view) return restart(ex);
  if (!method) return ex.error(400, "error_bad_form");
  boost::json::object data{{"method", to_string(*method)}};
  auto field = *method == SecondStepMethod::App ? "app_code" : *method == SecondStepMethod::RecoveryCode ? "recovery_code" : "code";
  if (code.empty()) {
    data[std::string("error_") + field] = ex.t("problem_required");
    data["has_errors"] = true;
    return second_step_page(ex, *view, std::move(data), 422);
  }
  auto outcome = svc.sign_in.submit_second_step(ex.cookie(kFlowCookie), *method, code, ex.client(), ex.cookie(kDeviceCookie));
  if (!outcome) {
    auto c = outcome.error().code;
    if (c == ErrorCode::NotFound || c == ErrorCode::Expired || c == ErrorCode::FlowStateInvalid) return restart(ex);
    return ex.failure(outcome.error());
  }
  if (auto* done = std::get_if<SignedIn>(&*outcome)) {
    if (!ex.cookie(kSessionCookie).empty()) (void)svc.sessions.end(ex.cookie(kSessionCookie));
    clear_flow_cookie(ex);
    set_session_cookie(ex, done->session.token, remember_choice(ex));
    if (!done->device_cookie.empty()) set_device_cookie(ex, done->device_cookie);
    return ex.redirect("/mon-espace");
  }
  if (auto* change = std::get_if<PasswordChangeRequired>(&*outcome)) {
    set_flow_cookie(ex, change->flow_token, svc.config.security.sign_in_flow_lifetime);
    keep_remember_choice(ex, remember_choice(ex));  // as long as the new flow
    return ex.redirect("/connexion/nouveau-mot-de-passe");
  }
  auto rejected = std::get<SecondStepRejected>(*outcome);
  std::string message = rejected.locked              ? ex.t("factors_problem_second_step_locked")
                        : rejected.suspended         ? ex.t("problem_second_step_suspended")
                        : rejected.attempts_left > 0 ? ex.t("problem_second_step_wrong", {{"left", std::to_string(rejected.attempts_left)}})
                                                     : ex.t("problem_second_step_exhausted");
  data[std::string("error_") + field] = message;
  data["has_errors"] = true;
  if (rejected.attempts_left == 0) data["exhausted"] = true;
  view = svc.second_step.view(ex.cookie(kFlowCookie));
  if (!view) return restart(ex);
  return second_step_page(ex, *view, std::move(data), 422);
}

}  // namespace portier::web
