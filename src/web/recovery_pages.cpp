// Getting back in: forgot identifier, forgot password (link or code).
// Every answer is the same whether or not the identifier or address exists;
// only the client-address limit (which says nothing about accounts) differs.
#include "web/cookies.h"
#include "web/form_errors.h"
#include "web/identifier_memory.h"
#include "web/pages.h"
#include "web/robot_field.h"

namespace portier::web {

namespace {

constexpr const char* kRecoveryCookie = "portier_recovery";

std::string_view recovery_token(Exchange& ex) { return ex.cookie(kRecoveryCookie); }

http::Response padded(Exchange& ex, http::Response r) {
  r.min_duration = ex.services().config.recovery.answer_floor;
  return r;
}

http::Response throttled(Exchange& ex) {
  auto r = ex.error(429, "error_throttled");
  r.set_header("Retry-After", "3600");
  return r;
}

// The form that names the account, with the robot check.
http::Response target_form(Exchange& ex, const std::string& page, const std::string& title_key,
                           boost::json::object data, RobotVerdict robot, int status) {
  data["title"] = ex.t(title_key);
  data["target_label"] = ex.t(page == "forgot_identifier" ? "field_email" : "field_target");
  if (ex.query().get("info") == "flow_expired") data["notice"] = ex.t("notice_recovery_expired");
  add_robot_field(ex, data, robot);
  if (robot != RobotVerdict::Passed) {
    data["has_errors"] = true;
    data["title"] = ex.t("error_prefix") + " " + ex.t(title_key);
  }
  return ex.render(page, std::move(data), status);
}

// Missing field or failed robot check: the form again, with the error summary.
http::Response invalid_target_form(Exchange& ex, const std::string& page, const std::string& title_key,
                                   const std::string& target, const std::string& problem, RobotVerdict robot) {
  boost::json::object data{{"target", target}};
  if (!problem.empty()) add_field_errors(ex, data, {{"target", problem}}, {"target"});
  return target_form(ex, page, title_key, std::move(data), robot, 422);
}

RecoverySecret secret_kind(std::string_view type) { return type == "code" ? RecoverySecret::Code : RecoverySecret::Link; }

// The "message sent" page: deadline, code entry, resend.
http::Response sent_page(Exchange& ex, const RecoveryStatus& status, boost::json::object data, int code_status = 200) {
  data["title"] = ex.t(data.contains("has_errors") ? "recovery_sent_title_error" : "recovery_sent_title");
  data["expires"] = ex.format_time(status.expires_at);
  if (status.locked) data["locked"] = true;
  auto now = ex.services().clock.now();
  if (now < status.resend_at) data["resend_wait"] = ex.t("recovery_resend_wait", {{"time", ex.format_time(status.resend_at)}});
  auto info = ex.query().get("info");
  if (info == "resent") data["notice"] = ex.t("notice_recovery_resent");
  return ex.render("recovery_sent", std::move(data), code_status);
}

http::Response new_password_page(Exchange& ex, RecoverySecret kind, const std::string& secret,
                                 const ResetTarget& target, boost::json::object data, int status = 200) {
  if (!data.contains("title")) data["title"] = ex.t("reset_title");
  data["secret"] = secret;
  data["secret_type"] = kind == RecoverySecret::Code ? "code" : "lien";
  data["account_identifier"] = target.identifier;
  data["expires"] = ex.format_time(target.expires_at);
  return ex.render("recovery_new_password", std::move(data), status);
}

http::Response link_unusable(Exchange& ex, const Error& e) {
  if (e.code != ErrorCode::NotFound && e.code != ErrorCode::Expired) return ex.failure(e);
  boost::json::object data{{"title", ex.t("link_invalid_title")},
                           {"expired", e.code == ErrorCode::Expired}};
  return ex.render("recovery_link_invalid", std::move(data), e.code == ErrorCode::Expired ? 410 : 404);
}

}  // namespace

http::Response show_forgot_identifier(Exchange& ex) {
  return target_form(ex, "forgot_identifier", "forgot_identifier_title", {}, RobotVerdict::Passed, 200);
}

static http::Response submit_forgot_identifier_unpadded(Exchange& ex) {
  const auto& email = ex.form()->get("target");
  auto robot = check_robot(ex);
  if (email.empty() || robot != RobotVerdict::Passed)
    return invalid_target_form(ex, "forgot_identifier", "forgot_identifier_title", email, email.empty() ? "required" : "",
                               robot);
  auto outcome = ex.services().reminder.request(email, ex.lang(), ex.client());
  if (!outcome && outcome.error().code == ErrorCode::InvalidInput)
    return invalid_target_form(ex, "forgot_identifier", "forgot_identifier_title", email, "invalid_email",
                               RobotVerdict::Passed);
  if (!outcome) return ex.failure(outcome.error());
  if (std::holds_alternative<ReminderThrottled>(*outcome)) return throttled(ex);
  boost::json::object data{{"title", ex.t("identifier_sent_title")}, {"email", email}};
  return ex.render("identifier_sent", std::move(data));
}

http::Response show_forgot_password(Exchange& ex) {
  return target_form(ex, "forgot_password", "forgot_password_title", {}, RobotVerdict::Passed, 200);
}

static http::Response submit_forgot_password_unpadded(Exchange& ex) {
  const auto& target = ex.form()->get("target");
  auto robot = check_robot(ex);
  if (target.empty() || robot != RobotVerdict::Passed)
    return invalid_target_form(ex, "forgot_password", "forgot_password_title", target, target.empty() ? "required" : "",
                               robot);
  auto outcome = ex.services().recovery.request(target, ex.lang(), ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (std::holds_alternative<RecoveryThrottled>(*outcome)) return throttled(ex);
  auto& started = std::get<RecoveryStarted>(*outcome);
  ex.add_cookie(set_cookie(kRecoveryCookie, started.flow_token,
                           CookieOptions{ex.secure(), ex.services().config.recovery.lifetime, "Strict"}));
  return ex.redirect("/mot-de-passe-oublie/code");
}

http::Response show_recovery_sent(Exchange& ex) {
  auto status = ex.services().recovery.status(recovery_token(ex));
  if (!status) return ex.redirect("/mot-de-passe-oublie?info=flow_expired");
  return sent_page(ex, *status, {});
}

http::Response submit_recovery_code(Exchange& ex) {
  const auto& code = ex.form()->get("code");
  auto& recovery = ex.services().recovery;
  auto status = recovery.status(recovery_token(ex));
  if (!status) return ex.redirect("/mot-de-passe-oublie?info=flow_expired");
  if (code.empty()) {
    boost::json::object data;
    add_field_errors(ex, data, {{"code", "required"}}, {"code"});
    return sent_page(ex, *status, std::move(data), 422);
  }
  auto outcome = recovery.check_code(recovery_token(ex), code, ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (std::holds_alternative<RecoveryThrottled>(*outcome)) return throttled(ex);
  if (auto* accepted = std::get_if<CodeAccepted>(&*outcome)) {
    auto target = recovery.check_secret(RecoverySecret::Code, accepted->code);
    if (!target) return link_unusable(ex, target.error());
    return new_password_page(ex, RecoverySecret::Code, accepted->code, *target, {});
  }
  auto left = std::get<CodeRejected>(*outcome).attempts_left;
  status = recovery.status(recovery_token(ex));
  if (!status) return ex.redirect("/mot-de-passe-oublie?info=flow_expired");
  auto message = left > 0 ? ex.t("problem_code_wrong", {{"left", std::to_string(left)}}) : ex.t("problem_code_locked");
  boost::json::object data{{"code", code}, {"error_code", message}, {"has_errors", true}};
  return sent_page(ex, *status, std::move(data), 422);
}

static http::Response submit_recovery_resend_unpadded(Exchange& ex) {
  auto outcome = ex.services().recovery.resend(recovery_token(ex), ex.lang(), ex.client());
  if (!outcome) {
    auto code = outcome.error().code;
    if (code == ErrorCode::NotFound || code == ErrorCode::Expired || code == ErrorCode::FlowStateInvalid)
      return ex.redirect("/mot-de-passe-oublie?info=flow_expired");
    return ex.failure(outcome.error());
  }
  if (std::holds_alternative<RecoveryThrottled>(*outcome)) return throttled(ex);
  // Too soon: the page already shows when the button works again.
  return ex.redirect(std::holds_alternative<Resent>(*outcome) ? "/mot-de-passe-oublie/code?info=resent"
                                                               : "/mot-de-passe-oublie/code");
}

http::Response show_reset_password(Exchange& ex) {
  // Opening the link changes nothing: mail filters that fetch links to scan
  // them must not spend it. Only the form's POST does.
  const auto& token = ex.query().get("jeton");
  auto target = ex.services().recovery.check_secret(RecoverySecret::Link, token);
  if (!target) return link_unusable(ex, target.error());
  return new_password_page(ex, RecoverySecret::Link, token, *target, {});
}

http::Response submit_reset_password(Exchange& ex) {
  auto& form = *ex.form();
  auto kind = secret_kind(form.get("type"));
  const auto& secret = form.get("secret");
  auto& recovery = ex.services().recovery;
  // Read before the secret is spent: the sign-in page is pre-filled with it.
  auto before = recovery.check_secret(kind, secret);
  auto outcome = recovery.reset_password(kind, secret, form.get("new_password"), form.get("confirm_password"),
                                         ex.lang(), ex.client());
  if (!outcome) return link_unusable(ex, outcome.error());
  if (std::holds_alternative<RecoveryThrottled>(*outcome)) return throttled(ex);
  if (auto* rejected = std::get_if<ResetPasswordRejected>(&*outcome)) {
    auto target = recovery.check_secret(kind, secret);
    if (!target) return link_unusable(ex, target.error());
    boost::json::object data{{"title", ex.t("reset_title")}};
    add_field_errors(ex, data, password_field_errors(rejected->problem), {"new_password", "confirm_password"});
    return new_password_page(ex, kind, secret, *target, std::move(data), 422);
  }
  ex.add_cookie(clear_cookie(kRecoveryCookie, ex.secure()));
  if (before) hand_over_identifier(ex, before->identifier);
  return ex.redirect("/connexion?info=password_reset");
}

// The answers that depend on whether an account exists are padded to one
// duration (recovery.answer_floor_ms); see http::Response::min_duration.
http::Response submit_forgot_identifier(Exchange& ex) { return padded(ex, submit_forgot_identifier_unpadded(ex)); }
http::Response submit_forgot_password(Exchange& ex) { return padded(ex, submit_forgot_password_unpadded(ex)); }
http::Response submit_recovery_resend(Exchange& ex) { return padded(ex, submit_recovery_resend_unpadded(ex)); }

}  // namespace portier::web
