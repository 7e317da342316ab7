#include "web/robot_field.h"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>

namespace portier::web {

namespace {
constexpr const char* kField = "altcha";  // the widget's default field name
// The no-JavaScript path's waiting token: only in the form when scripts are
// off (it sits in a <noscript> block, which browsers running scripts ignore).
constexpr const char* kWaitField = "altcha_attente";
constexpr const char* kChallengeUrl = "/robot/defi";
}  // namespace

RobotVerdict check_robot(Exchange& ex) {
  auto& form = ex.form();
  if (!form) return RobotVerdict::Missing;
  // The widget's solution when there is one; else the no-JavaScript wait.
  bool widget = !form->get(kField).empty() || form->get(kWaitField).empty();
  auto verdict = widget ? ex.services().robot.verify(form->get(kField)) : ex.services().robot.verify_wait(form->get(kWaitField));
  if (!verdict) {
    // Fail closed: without the spent-challenge store a solution could be
    // replayed, so the form comes back rather than going through unchecked.
    spdlog::error("robot check unavailable: {}", verdict.error().detail);
    return RobotVerdict::Invalid;
  }
  if (*verdict != RobotVerdict::Passed)
    spdlog::info("robot check {} on {} from {}", to_string(*verdict), ex.request().path, ex.client().ip);
  return *verdict;
}

std::string robot_message(Exchange& ex, RobotVerdict verdict) {
  switch (verdict) {
    case RobotVerdict::Passed: return {};
    case RobotVerdict::Missing: return ex.t("robot_missing");
    case RobotVerdict::Invalid: return ex.t("robot_invalid");
    case RobotVerdict::Expired: return ex.t("robot_expired_again");
    case RobotVerdict::Replayed: return ex.t("robot_replayed");
    case RobotVerdict::TooEarly: return ex.t("signin_robot_too_early");
  }
  return ex.t("robot_invalid");
}

void add_robot_field(Exchange& ex, boost::json::object& data, RobotVerdict previous) {
  data["robot_challenge_url"] = kChallengeUrl;
  // The widget's own strings, in the page language (its built-in i18n would
  // need another script; the strings attribute keeps one source of truth).
  boost::json::object strings{
      {"label", ex.t("robot_label")},
      {"verified", ex.t("robot_verified")},
      {"verifying", ex.t("robot_verifying")},
      {"waitAlert", ex.t("robot_wait_alert")},
      {"verificationRequired", ex.t("robot_verification_required")},
      {"error", ex.t("robot_widget_error")},
      {"expired", ex.t("robot_widget_expired")},
      {"loading", ex.t("robot_loading")},
      {"reload", ex.t("robot_reload")},
      {"verify", ex.t("robot_verify")},
  };
  data["robot_strings"] = boost::json::serialize(strings);
  // Without JavaScript: a waiting token, kept when the form came back too
  // early (the wait is not started again).
  auto& robot = ex.services().robot;
  const auto* posted = ex.form() ? &ex.form()->get(kWaitField) : nullptr;
  data["robot_wait_token"] = previous == RobotVerdict::TooEarly && posted && robot.is_own_wait_token(*posted)
                                 ? *posted
                                 : robot.issue_wait_token();
  data["robot_noscript"] =
      ex.t("signin_robot_noscript", {{"seconds", std::to_string(robot.no_script_wait().count())}});
  if (previous != RobotVerdict::Passed) {
    data["error_robot"] = robot_message(ex, previous);
    data["has_errors"] = true;
  }
}

}  // namespace portier::web
