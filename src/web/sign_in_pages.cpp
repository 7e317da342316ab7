#include "web/duration_words.h"
#include "web/form_errors.h"
#include "web/identifier_memory.h"
#include "web/pages.h"
#include "web/federation_logout_pages.h"
#include "web/robot_field.h"
#include "web/session_cookies.h"
#include "web/oidc_pages.h"
#include "web/sign_in_finish.h"
#include "web/federation_pages.h"

namespace portier::web {

namespace {

// Notices shown above the sign-in form after a redirect (?info=...).
const char* kNotices[] = {"signed_out", "password_changed", "flow_expired", "setup_done", "session_expired", "password_reset",
                         "account_activated", "reauth_locked_out", "card_link", "federation_link"};

http::Response sign_in_page(Exchange& ex, boost::json::object data, int status = 200) {
  data["title"] = ex.t("sign_in_title");
  // The "Carte CPS" entry: the card listener's page once card.enabled.
  const auto& config = ex.services().config;
  if (config.card.enabled) data["smart_card_url"] = config.card_url() + "/carte-cps";
  add_federation_entries(ex, data);
  auto info = ex.query().get("info");
  for (auto n : kNotices)
    if (info == n) data["notice"] = ex.t(std::string("notice_") + n);
  return ex.render("sign_in", std::move(data), status);
}

}  // namespace

http::Response show_sign_in(Exchange& ex) {
  // An application's request in progress may ask a signed-in member to sign
  // in again (prompt=login, max_age); otherwise they go on at once.
  auto pending = pending_authorization(ex);
  if (ex.account() && !(pending && pending->needs_sign_in)) return ex.redirect(continue_location(ex, "/mon-espace"));
  auto prefill = identifier_prefill(ex);
  if (prefill.identifier.empty() && pending) prefill.identifier = pending->login_hint;
  boost::json::object data{{"identifier", prefill.identifier},
                           {"remember_identifier", prefill.remembered},
                           {"identifier_remembered", prefill.remembered}};
  if (pending) {
    data["application_notice"] = ex.t(ex.account() ? "signin_for_application_again" : "signin_for_application",
                                      {{"client", pending->client_name}});
  }
  // An address that keeps failing gets the robot check on the form itself.
  if (auto a = ex.services().client_throttle.assess(ex.client().ip); a && a->needs_robot_check) add_robot_field(ex, data);
  return sign_in_page(ex, std::move(data));
}

namespace {

void remember_identifier_of(Exchange& ex, const std::string& identifier) { remember_identifier(ex, identifier); }

http::Response sign_in_answer(Exchange& ex, const ClientAssessment& assessed, ClientAssessment& after) {
  auto& form = *ex.form();
  const auto& identifier = form.get("identifier");
  const auto& password = form.get("password");
  bool remember = form.get("remember") == "1";
  bool remember_identifier = form.get("remember_identifier") == "1";
  // Unticking the box forgets the identifier at once, whatever the outcome.
  if (!remember_identifier) forget_identifier(ex);
  FieldErrors missing;
  if (identifier.empty()) missing["identifier"] = "required";
  if (password.empty()) missing["password"] = "required";
  boost::json::object data{{"identifier", identifier}, {"remember", remember},
                           {"remember_identifier", remember_identifier},
                           {"identifier_label", ex.t("signin_field_identifier")}};
  // An address in back-off goes straight to the service, which refuses it
  // (429) before any hash: no robot answer would change that.
  bool in_backoff = assessed.backoff.count() > 0;
  auto robot = assessed.needs_robot_check && missing.empty() && !in_backoff ? check_robot(ex) : RobotVerdict::Passed;
  if (!missing.empty() || robot != RobotVerdict::Passed) {
    data["title"] = ex.t("sign_in_title");
    add_field_errors(ex, data, missing, {"identifier", "password"});
    if (assessed.needs_robot_check) {
      add_robot_field(ex, data, robot);
      if (robot != RobotVerdict::Passed) data["title"] = ex.t("error_prefix") + " " + ex.t("sign_in_title");
    }
    return ex.render("sign_in", std::move(data), 422);
  }

  auto outcome = ex.services().sign_in.submit_password(identifier, password, ex.client(), ex.cookie(kDeviceCookie),
                                                              pending_request_wants_second_step(ex));
  if (!outcome) return ex.failure(outcome.error());
  if (auto* done = std::get_if<SignedIn>(&*outcome)) {
    if (remember_identifier) remember_identifier_of(ex, done->account.identifier);
    return finish_sign_in(ex, *done, remember);
  }
  if (auto* change = std::get_if<PasswordChangeRequired>(&*outcome)) {
    if (remember_identifier) remember_identifier_of(ex, change->identifier);
    set_flow_cookie(ex, change->flow_token, ex.services().config.security.sign_in_flow_lifetime);
    keep_remember_choice(ex, remember);
    return ex.redirect("/connexion/nouveau-mot-de-passe");
  }
  if (auto* second = std::get_if<SecondStepRequired>(&*outcome)) {
    if (remember_identifier) remember_identifier_of(ex, second->identifier);
    set_flow_cookie(ex, second->flow_token, ex.services().config.security.sign_in_flow_lifetime);
    keep_remember_choice(ex, remember);
    return second_step_arrival(ex, second->flow_token);
  }
  if (auto* throttled = std::get_if<SignInThrottled>(&*outcome)) {
    // Refused before any hash: not a failure, nothing counted.
    auto secs = throttled->retry_after.count();
    data["form_error"] = secs < 120 ? ex.tn("sign_in_throttled_seconds", secs)
                                    : ex.t("sign_in_throttled_minutes", {{"minutes", std::to_string((secs + 59) / 60)}});
    data["title"] = ex.t("error_prefix") + " " + ex.t("sign_in_title");
    auto r = sign_in_page(ex, std::move(data), 429);
    r.set_header("Retry-After", std::to_string(std::max<long long>(1, secs)));
    return r;
  }
  auto* suspended = std::get_if<Suspension>(&*outcome);
  auto* rejected = std::get_if<Rejected>(&*outcome);
  if (suspended || rejected->reason == RejectReason::InvalidCredentials) {
    if (auto counted = ex.services().client_throttle.failed(ex.client().ip)) after = *counted;
  }
  data["title"] = ex.t("error_prefix") + " " + ex.t("sign_in_title");
  if (after.needs_robot_check) add_robot_field(ex, data);
  if (suspended) {
    // Said in plain words: what happened, until when, what she can do now.
    // The same for unknown identifiers (their counters run alike).
    data["suspension_heading"] = ex.t(suspended->until_reset ? "signin_locked_heading" : "signin_suspended_heading");
    data["form_error"] = suspended->until_reset
                             ? ex.t("signin_locked_what")
                             : ex.t("signin_suspended_what", {{"until", ex.format_time(*suspended->until)}});
    data["suspended"] = true;
    auto r = sign_in_page(ex, std::move(data), 429);
    if (suspended->until)
      r.set_header("Retry-After", std::to_string(std::max<long long>(
                                      1, to_unix(*suspended->until) - to_unix(ex.services().clock.now()))));
    return r;
  }
  auto reason = rejected->reason;
  const char* key = reason == RejectReason::AccountDisabled           ? "sign_in_disabled"
                    : reason == RejectReason::TemporaryPasswordExpired ? "sign_in_temporary_expired"
                                                                       : "sign_in_invalid";
  data["form_error"] = ex.t(key);
  // One more failure would suspend: say so now, with the configured length.
  if (reason == RejectReason::InvalidCredentials && rejected->failures_left == 1)
    data["last_attempt_warning"] =
        ex.t("signin_last_attempt", {{"duration", duration_words(ex, ex.services().config.lockout.period)}});
  return sign_in_page(ex, std::move(data), 401);
}

}  // namespace

http::Response submit_sign_in(Exchange& ex) {
  auto assessed = ex.services().client_throttle.assess(ex.client().ip);
  if (!assessed) return ex.failure(assessed.error());
  ClientAssessment after = *assessed;
  auto r = sign_in_answer(ex, *assessed, after);
  // Growing delays on the failed answers of an address that keeps failing:
  // held on an I/O-thread timer, so a stuffing attack costs the attacker
  // time, not our workers. `after` only moves when this attempt failed.
  if (after.failures > assessed->failures) r.min_duration = after.delay;
  return r;
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
    add_field_errors(ex, data, password_field_errors(rejected->problem), {"new_password", "confirm_password"});
    return ex.render("required_change", std::move(data), 422);
  }
  clear_flow_cookie(ex);
  return finish_sign_in(ex, std::get<SignedIn>(*outcome), remember_choice(ex), "/mon-espace?info=password_changed");
}

http::Response sign_out(Exchange& ex) {
  FederatedLogoutStart at_provider = NotFederated{};
  if (auto& account = ex.account()) {
    // A session opened through a provider ends there too: its ID token is
    // taken (keyed by the session's sid) before the session ends.
    if (auto* federated = ex.services().federation_logout; federated && ex.session())
      at_provider = federated->begin(*ex.session(), ex.client());
    (void)ex.services().sessions.end(ex.session_token());
    ex.services().audit.record("sign_out", account->id, account->id, ex.client());
    // The next sign-in page shows who just left (a few minutes, not the URL).
    hand_over_identifier(ex, account->identifier);
  }
  clear_session_cookie(ex);
  return after_sign_out(ex, at_provider);
}

http::Response forget_remembered_identifier(Exchange& ex) {
  forget_identifier(ex);
  return ex.redirect("/connexion");
}

}  // namespace portier::web
