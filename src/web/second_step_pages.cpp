// The second step of sign-in: choose email, SMS or the app, receive a code,
// type it. The flow cookie of the password step carries the browser through.
#include "web/cookies.h"
#include "web/duration_words.h"
#include "web/pages.h"
#include "web/session_cookies.h"
#include "web/sign_in_finish.h"

namespace portier::web {

namespace {

http::Response restart(Exchange& ex) {
  clear_flow_cookie(ex);
  return ex.redirect("/connexion?info=flow_expired");
}

long long seconds_until(Exchange& ex, TimePoint at) {
  auto now = ex.services().clock.now();
  if (at <= now) return 0;
  return std::chrono::ceil<std::chrono::seconds>(at - now).count();
}

// One button per channel once a code went out: "send again" for the
// channel used, "rather by ..." for the other. A channel in its cooldown is
// disabled by the server with the wait in its text (no JavaScript needed);
// static/js/countdown.js counts it down and enables it.
boost::json::array resend_buttons(Exchange& ex, const SecondStepView& v) {
  boost::json::array out;
  auto add = [&](SecondStepMethod via, TimePoint resend_at) {
    bool same = v.sent_via && *v.sent_via == via;
    auto wait = seconds_until(ex, resend_at);
    std::string label = same ? ex.t("signin_resend")
                        : via == SecondStepMethod::Sms
                            ? ex.t("signin_switch_to_sms", {{"phone", v.masked_phone.value_or("")}})
                            : ex.t("signin_switch_to_email", {{"email", v.masked_email}});
    boost::json::object b{{"via", to_string(via)}, {"label", label}, {"secondary", !same},
                          {"testid", same ? "second-step-resend" : "second-step-switch"}};
    if (wait > 0) {
      b["wait"] = std::to_string(wait);
      b["wait_label"] = same ? ex.t("signin_resend_wait", {{"seconds", std::to_string(wait)}})
                             : label + " (" + ex.t("signin_resend_wait", {{"seconds", std::to_string(wait)}}) + ")";
      // The script rebuilds the text each second from this pattern.
      b["wait_pattern"] = same ? ex.t("signin_resend_wait", {{"seconds", "{s}"}})
                               : label + " (" + ex.t("signin_resend_wait", {{"seconds", "{s}"}}) + ")";
      b["wait_hint"] = ex.t("signin_resend_wait_hint", {{"seconds", std::to_string(wait)}});
    }
    out.push_back(std::move(b));
  };
  // The channel just used first: it is the one she expects to see.
  bool sms_first = v.sent_via && *v.sent_via == SecondStepMethod::Sms;
  if (sms_first && v.masked_phone) add(SecondStepMethod::Sms, v.resend_at_sms);
  add(SecondStepMethod::Email, v.resend_at_email);
  if (!sms_first && v.masked_phone) add(SecondStepMethod::Sms, v.resend_at_sms);
  return out;
}

http::Response second_step_page(Exchange& ex, const SecondStepView& v, boost::json::object data, int status = 200) {
  data["title"] = ex.t(data.contains("error_code") ? "second_step_title_error" : "second_step_title");
  data["identifier"] = v.identifier;
  data["masked_email"] = v.masked_email;
  if (v.masked_phone) data["masked_phone"] = *v.masked_phone;
  data["has_app"] = v.has_app;
  data["codes_allowed"] = v.codes_allowed;
  data["pre_email"] = v.preselected != SecondStepMethod::Sms;
  data["pre_sms"] = v.preselected == SecondStepMethod::Sms;
  data["attempts_left"] = std::to_string(v.attempts_left);
  if (v.sent_via) {
    data["sent"] = true;
    data["sent_to"] = v.sent_to;
    data["sent_by_sms"] = *v.sent_via == SecondStepMethod::Sms;
    data["code_expires"] = ex.format_time(v.code_expires_at);
    data["resend_buttons"] = resend_buttons(ex, v);
  }
  // Refusals are warnings (role="alert"), never styled as a success.
  auto info = ex.query().get("info");
  if (info == "too_soon") data["refusal"] = ex.t("signin_code_too_soon");
  if (info == "cap") data["refusal"] = ex.t("signin_code_cap");
  if (info == "sms_budget") data["refusal"] = ex.t("signin_code_sms_refused");
  return ex.render("second_step", std::move(data), status);
}

// Email only: no app, no verified mobile, codes allowed.
bool single_channel(const SecondStepView& v) { return v.codes_allowed && !v.has_app && !v.masked_phone; }

std::string after_send(const Result<SendOutcome>& sent) {
  if (!sent) return "/connexion/code";
  if (std::holds_alternative<SendTooSoon>(*sent)) return "/connexion/code?info=too_soon";
  if (auto* cap = std::get_if<SendCapReached>(&*sent))
    return cap->sms_budget ? "/connexion/code?info=sms_budget" : "/connexion/code?info=cap";
  return "/connexion/code#code";
}

}  // namespace

http::Response second_step_arrival(Exchange& ex, const std::string& flow_token) {
  auto& svc = ex.services().second_step;
  auto view = svc.view(flow_token);
  // Sent from the password's POST, never from a GET: a reload, a prefetch or
  // the back button cannot send another code.
  if (view && single_channel(*view) && !view->sent_via) {
    auto sent = svc.send(flow_token, SecondStepMethod::Email, ex.lang(), ex.client());
    if (sent && std::holds_alternative<CodeSent>(*sent)) return ex.redirect("/connexion/code");
    return ex.redirect(after_send(sent));
  }
  return ex.redirect("/connexion/code");
}

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
  if (std::holds_alternative<SendNotAllowed>(*sent)) return ex.error(403, "factors_problem_app_only");
  return ex.redirect(after_send(sent));
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
    clear_flow_cookie(ex);
    return finish_sign_in(ex, *done, remember_choice(ex));
  }
  if (auto* change = std::get_if<PasswordChangeRequired>(&*outcome)) {
    set_flow_cookie(ex, change->flow_token, svc.config.security.sign_in_flow_lifetime);
    keep_remember_choice(ex, remember_choice(ex));  // as long as the new flow
    return ex.redirect("/connexion/nouveau-mot-de-passe");
  }
  auto rejected = std::get<SecondStepRejected>(*outcome);
  std::string message = rejected.locked              ? ex.t("signin_code_locked")
                        : rejected.suspended         ? (rejected.suspended_until
                                                            ? ex.t("signin_code_suspended", {{"until", ex.format_time(*rejected.suspended_until)}})
                                                            : ex.t("problem_second_step_suspended"))
                        : rejected.attempts_left > 0 ? ex.t("problem_second_step_wrong", {{"left", std::to_string(rejected.attempts_left)}})
                                                     : ex.t("problem_second_step_exhausted");
  data[std::string("error_") + field] = message;
  data["has_errors"] = true;
  if (rejected.suspended || rejected.locked) data["code_suspended"] = true;
  if (rejected.attempts_left == 0) data["exhausted"] = true;
  // Before the last try: the account's suspension first (it outlasts this
  // sign-in), else the end of this sign-in's tries.
  if (!rejected.suspended && !rejected.locked && rejected.attempts_left > 0) {
    if (rejected.account_failures_left == 1)
      data["last_attempt_warning"] = ex.t("signin_code_last_before_suspension",
                                          {{"duration", duration_words(ex, rejected.next_suspension)}});
    else if (rejected.attempts_left == 1)
      data["last_attempt_warning"] = ex.t("signin_code_last_try");
  }
  view = svc.second_step.view(ex.cookie(kFlowCookie));
  if (!view) return restart(ex);
  return second_step_page(ex, *view, std::move(data), 422);
}

}  // namespace portier::web
