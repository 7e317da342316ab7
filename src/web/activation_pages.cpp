// First connection: the member opens their invitation (link or code) and
// chooses a password; "Première connexion" sends a lost invitation again.
// The request's answer is the same whether or not a pending account matched.
#include "web/cookies.h"
#include "web/form_errors.h"
#include "web/identifier_memory.h"
#include "web/pages.h"
#include "web/robot_field.h"

namespace portier::web {

namespace {

// The browser's code entry (ActivationService::submit_code): its tries.
constexpr const char* kEntryCookie = "portier_invitation";

http::Response throttled(Exchange& ex) {
  auto r = ex.error(429, "error_throttled");
  r.set_header("Retry-After", "3600");
  return r;
}

ActivationService& activation(Exchange& ex) { return *ex.services().activation; }

http::Response request_form(Exchange& ex, boost::json::object data, RobotVerdict robot, int status) {
  data["title"] = ex.t("first_connection_title");
  data["target_label"] = ex.t("field_target");
  add_robot_field(ex, data, robot);
  if (robot != RobotVerdict::Passed) data["has_errors"] = true;
  if (data.contains("has_errors")) data["title"] = ex.t("error_prefix") + " " + ex.t("first_connection_title");
  return ex.render("first_connection", std::move(data), status);
}

// The code entry, alone (from the invitation) or under "message sent".
http::Response code_page(Exchange& ex, boost::json::object data, int status = 200) {
  bool sent = data.contains("sent");
  std::string title = ex.t(sent ? "activation_sent_title" : "activation_code_title");
  data["title"] = data.contains("has_errors") ? ex.t("error_prefix") + " " + title : title;
  data["heading"] = title;
  return ex.render("activation_code", std::move(data), status);
}

http::Response password_page(Exchange& ex, ActivationSecret kind, const std::string& secret,
                             const ActivationTarget& target, boost::json::object data, int status = 200) {
  data["title"] = data.contains("has_errors") ? ex.t("error_prefix") + " " + ex.t("activation_title")
                                              : ex.t("activation_title");
  data["secret"] = secret;
  data["secret_type"] = kind == ActivationSecret::Code ? "code" : "lien";
  data["account_identifier"] = target.identifier;
  data["expires"] = ex.format_time(target.expires_at);
  return ex.render("activation_password", std::move(data), status);
}

http::Response invitation_unusable(Exchange& ex, const Error& e) {
  if (e.code != ErrorCode::NotFound && e.code != ErrorCode::Expired) return ex.failure(e);
  boost::json::object data{{"title", ex.t("activation_invalid_title")}, {"expired", e.code == ErrorCode::Expired}};
  return ex.render("activation_invalid", std::move(data), e.code == ErrorCode::Expired ? 410 : 404);
}

ActivationSecret secret_kind(std::string_view type) {
  return type == "code" ? ActivationSecret::Code : ActivationSecret::Link;
}

http::Response submit_first_connection_unpadded(Exchange& ex) {
  const auto& target = ex.form()->get("target");
  auto robot = check_robot(ex);
  if (target.empty() || robot != RobotVerdict::Passed) {
    boost::json::object data{{"target", target}};
    if (target.empty()) add_field_errors(ex, data, {{"target", "required"}}, {"target"});
    return request_form(ex, std::move(data), robot, 422);
  }
  auto outcome = activation(ex).request_again(target, ex.lang(), ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (std::holds_alternative<ActivationThrottled>(*outcome)) return throttled(ex);
  return code_page(ex, boost::json::object{{"sent", true}});
}

}  // namespace

http::Response show_first_connection(Exchange& ex) { return request_form(ex, {}, RobotVerdict::Passed, 200); }

// Padded to recovery.answer_floor_ms: a pending account costs a message and
// an unknown one does not (see http::Response::min_duration).
http::Response submit_first_connection(Exchange& ex) {
  auto r = submit_first_connection_unpadded(ex);
  r.min_duration = ex.services().config.recovery.answer_floor;
  return r;
}

http::Response show_activation_code(Exchange& ex) { return code_page(ex, {}); }

http::Response submit_activation_code(Exchange& ex) {
  const auto& code = ex.form()->get("code");
  boost::json::object data{{"code", code}};
  if (ex.form()->get("sent") == "1") data["sent"] = true;
  if (code.empty()) {
    add_field_errors(ex, data, {{"code", "required"}}, {"code"});
    return code_page(ex, std::move(data), 422);
  }
  std::string entry(ex.cookie(kEntryCookie));
  auto before = entry;
  auto outcome = activation(ex).submit_code(entry, code, ex.client());
  if (!outcome) return ex.failure(outcome.error());
  if (entry != before)
    ex.add_cookie(set_cookie(kEntryCookie, entry,
                             CookieOptions{ex.secure(), activation(ex).code_entry_lifetime(), "Strict"}));
  if (std::holds_alternative<ActivationThrottled>(*outcome)) return throttled(ex);
  if (auto* target = std::get_if<ActivationTarget>(&*outcome))
    return password_page(ex, ActivationSecret::Code, normalize_code(code), *target, {});
  auto left = std::get<ActivationCodeRejected>(*outcome).attempts_left;
  data["error_code"] = left > 0 ? ex.t("problem_invitation_code_wrong")
                                : ex.t("problem_invitation_code_locked",
                                       {{"minutes", std::to_string(activation(ex).code_entry_lifetime().count() / 60)}});
  data["has_errors"] = true;
  return code_page(ex, std::move(data), 422);
}

http::Response show_activation(Exchange& ex) {
  // Opening the link spends nothing: mail filters that fetch links to scan
  // them must not use up the invitation. Only the form's POST does.
  const auto& token = ex.query().get("jeton");
  auto target = activation(ex).check(ActivationSecret::Link, token);
  if (!target) return invitation_unusable(ex, target.error());
  return password_page(ex, ActivationSecret::Link, token, *target, {});
}

http::Response submit_activation(Exchange& ex) {
  auto& form = *ex.form();
  auto kind = secret_kind(form.get("type"));
  const auto& secret = form.get("secret");
  // Read before the token is spent: the sign-in page is pre-filled with it.
  auto before = activation(ex).check(kind, secret);
  auto outcome = activation(ex).activate(kind, secret, form.get("new_password"), form.get("confirm_password"),
                                         ex.client());
  if (!outcome) return invitation_unusable(ex, outcome.error());
  if (std::holds_alternative<ActivationThrottled>(*outcome)) return throttled(ex);
  if (auto* rejected = std::get_if<ActivationPasswordRejected>(&*outcome)) {
    auto target = activation(ex).check(kind, secret);
    if (!target) return invitation_unusable(ex, target.error());
    boost::json::object data;
    add_field_errors(ex, data, password_field_errors(rejected->problem), {"new_password", "confirm_password"});
    return password_page(ex, kind, secret, *target, std::move(data), 422);
  }
  if (before) hand_over_identifier(ex, before->identifier);
  return ex.redirect("/connexion?info=account_activated");
}

}  // namespace portier::web
