// Assistance: the public request form with callback slots (robot check,
// padded answers) and the "request received" page. The answer is the same
// whether or not what was typed names an account.
#include <algorithm>
#include <cassert>
#include <cstdlib>

#include "account/phone_format.h"
#include "web/assistance_view.h"
#include "web/form_errors.h"
#include "web/pages.h"
#include "web/robot_field.h"

namespace portier::web {

namespace {

AssistanceService& assistance_service(Exchange& ex) {
  assert(ex.services().assistance && "app/ wires the assistance service before serving");
  return *ex.services().assistance;
}

// The fields top to bottom, with the anchor each summary entry leads to.
struct FieldRef {
  const char* field;
  const char* label_key;
  const char* anchor;
};
constexpr FieldRef kFields[] = {{"target", "assistance_field_target", "target"},
                                {"name", "assistance_field_name", "name"},
                                {"phone", "assistance_callback_phone", "phone"},
                                {"message", "assistance_field_message", "message"},
                                {"slots", "assistance_parts_legend", "slots"}};

// The form page. `problems` are the service's field problems; the summary
// follows the page's order and names each field.
http::Response form_page(Exchange& ex, const AssistanceForm& form, const AssistanceProblems& problems,
                         RobotVerdict robot, int status) {
  auto& p = ex.services().config.portal;
  auto& service = assistance_service(ex);
  boost::json::object data{{"title", ex.t("assistance_title")},
                           {"text", ex.lang() == "en" ? p.assistance_en : p.assistance_fr},
                           {"assistance_email", p.assistance_email},
                           {"target", form.target},
                           {"name", form.name},
                           {"phone", form.phone},
                           {"message", form.message},
                           {"days", part_days(ex, service.offered_parts(), form.slots)}};
  boost::json::array summary;
  for (const auto& f : kFields) {
    auto it = problems.find(f.field);
    if (it == problems.end()) continue;
    auto message = problem_message(ex, it->second);
    data[std::string("error_") + f.field] = message;
    summary.push_back(boost::json::object{{"anchor", f.anchor}, {"label", ex.t(f.label_key)}, {"message", message}});
  }
  add_robot_field(ex, data, robot);
  if (robot != RobotVerdict::Passed)
    summary.push_back(boost::json::object{{"anchor", "robot-check"}, {"label", ex.t("robot_legend")},
                                          {"message", robot_message(ex, robot)}});
  if (!summary.empty()) {
    data["summary"] = std::move(summary);
    data["has_errors"] = true;
    data["title"] = ex.t("error_prefix") + " " + ex.t("assistance_title");
  }
  return ex.render("assistance", std::move(data), status);
}

AssistanceForm read_form(Exchange& ex) {
  const auto& f = *ex.form();
  return AssistanceForm{f.get("target"), f.get("name"), f.get("phone"), f.get("message"), f.get_all("part")};
}

http::Response submit_assistance_unpadded(Exchange& ex) {
  auto form = read_form(ex);
  auto robot = check_robot(ex);
  // A failed robot check acts on nothing; its page still lists the field
  // problems so the visitor fixes everything at once.
  if (robot != RobotVerdict::Passed) return form_page(ex, form, assistance_service(ex).problems(form), robot, 422);
  auto outcome = assistance_service(ex).submit(form, ex.lang(), ex.client(), ex.account());
  if (!outcome) return ex.failure(outcome.error());
  if (auto* rejected = std::get_if<AssistanceRejected>(&*outcome))
    return form_page(ex, form, rejected->problems, RobotVerdict::Passed, 422);
  if (std::holds_alternative<AssistanceThrottled>(*outcome)) {
    auto r = ex.error(429, "error_throttled");
    r.set_header("Retry-After", "3600");
    return r;
  }
  // The recap: the reference to quote, and what happens next. The same
  // page whether or not what was typed names an account (only the random
  // reference differs).
  const auto& received = std::get<AssistanceReceived>(*outcome);
  std::vector<std::int64_t> chosen;
  for (const auto& id : form.slots)
    if (auto seconds = std::strtoll(id.c_str(), nullptr, 10); seconds > 0) chosen.push_back(seconds);
  std::sort(chosen.begin(), chosen.end());
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
  boost::json::array parts;
  for (auto seconds : chosen) parts.push_back(boost::json::string(part_label(from_unix(seconds), ex.lang())));
  boost::json::object data{{"title", ex.t("assistance_sent_title")},
                           {"reference", received.reference},
                           {"phone", form.phone},
                           {"parts", std::move(parts)},
                           {"assistance_email", ex.services().config.portal.assistance_email}};
  return ex.render("assistance_sent", std::move(data));
}

}  // namespace

// A signed-in member finds her identifier, name and phone already there.
http::Response show_assistance(Exchange& ex) {
  AssistanceForm form;
  if (const auto& a = ex.account()) {
    form.target = a->identifier;
    form.name = a->display_name;
    form.phone = a->phone ? format_phone(*a->phone) : std::string();  // "06 11 22 33 44", as she would type it
  }
  return form_page(ex, form, {}, RobotVerdict::Passed, 200);
}

// Whether an account matched changes the work done (lookups, a message
// queued or not): the answer is padded like the recovery forms'.
http::Response submit_assistance(Exchange& ex) {
  auto r = submit_assistance_unpadded(ex);
  r.min_duration = ex.services().config.recovery.answer_floor;
  return r;
}

}  // namespace portier::web
