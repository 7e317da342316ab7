// Support staff's assistance queue (/support/demandes): list by status, one
// request (with the state of the account it names), take / schedule (a day
// and an hour, checked against the opening hours) / close. Behind the support console's gate
// (console_access.h: role support or admin, session signed in with an
// authenticator app); never reachable by members.
#include <cassert>
#include <charconv>
#include <cstdio>

#include "admin/support_service.h"
#include "web/assistance_view.h"
#include "web/console_access.h"
#include "web/form_errors.h"
#include "web/pages.h"

namespace portier::web {

namespace {

AssistanceService& service(Exchange& ex) {
  assert(ex.services().assistance && "app/ wires the assistance service before serving");
  return *ex.services().assistance;
}

std::optional<std::int64_t> request_id(std::string_view text) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

std::string request_url(std::int64_t id, std::string_view info = {}) {
  auto url = "/support/demandes/demande?id=" + std::to_string(id);
  if (!info.empty()) url += "&info=" + std::string(info);
  return url;
}

// What an agent on the phone needs to know of the account the request
// names: can she sign in, and is a temporary password waiting. The actions
// are on the account's page, linked.
boost::json::object account_state(Exchange& ex, AccountId id) {
  boost::json::object d{{"id", std::to_string(id)}};
  auto* support = ex.services().support;
  if (!support) return d;
  auto v = support->view(id);
  if (!v) return d;
  const auto& a = v->account;
  const auto& l = v->lockout;
  d["identifier"] = a.identifier;
  d["status_label"] = ex.t(std::string("console_status_") + to_string(a.status));
  boost::json::array alerts;
  auto alert = [&](std::string text) { alerts.push_back(boost::json::object{{"text", std::move(text)}}); };
  if (l.unknown_browsers_suspended_until)
    alert(ex.t("assist_state_suspended_until", {{"time", ex.format_time(*l.unknown_browsers_suspended_until)}}));
  if (l.suspended_devices == 1) alert(ex.t("assist_state_devices_one"));
  else if (l.suspended_devices > 1)
    alert(ex.t("assist_state_devices_other", {{"count", std::to_string(l.suspended_devices)}}));
  if (l.locked_until_reset) alert(ex.t("assist_state_locked_until_reset"));
  if (l.second_step_suspended_until)
    alert(ex.t("assist_state_second_step_until", {{"time", ex.format_time(*l.second_step_suspended_until)}}));
  if (l.second_step_locked) alert(ex.t("assist_state_second_step_locked"));
  if (a.password_is_temporary) {
    if (a.password_expires_at && *a.password_expires_at > ex.services().clock.now())
      alert(ex.t("assist_state_temporary_until", {{"time", ex.format_time(*a.password_expires_at)}}));
    else alert(ex.t("assist_state_temporary_expired"));
  }
  d["fine"] = alerts.empty() && a.status == AccountStatus::Active;
  d["has_alerts"] = !alerts.empty();
  d["alerts"] = std::move(alerts);
  return d;
}

// The schedule form's fields: a day and an hour within the opening hours,
// pre-filled with the member's first preferred part of a day still open.
void add_schedule_fields(Exchange& ex, const AssistanceRequest& r, boost::json::object& data) {
  auto& s = service(ex);
  auto offered = s.offered_slots();
  if (offered.empty()) {
    data["schedule_hint"] = ex.t("assist_schedule_no_slot");
    return;
  }
  const auto& hours = s.hours();
  auto clock = [](int minutes) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
    return std::string(buf);
  };
  data["date_min"] = local_slot(offered.front()).date;
  data["date_max"] = local_slot(offered.back()).date;
  data["time_min"] = clock(hours.opening);
  data["time_max"] = clock(hours.closing - static_cast<int>(hours.slot_length.count()));
  data["time_step"] = std::to_string(hours.slot_length.count() * 60);
  data["schedule_hint"] = ex.t("assist_schedule_hint", {{"from", data["time_min"].as_string().c_str()},
                                                        {"to", data["time_max"].as_string().c_str()},
                                                        {"step", std::to_string(hours.slot_length.count())}});
  if (!data.contains("date")) {
    std::optional<TimePoint> first;
    auto parts = part_choices(offered);
    for (auto at : r.preferred_slots)
      for (const auto& p : parts)
        if (p.start == at || (p.day_key == local_slot(at).day_key() && p.part == day_part(at))) {
          if (!first) first = p.start;
        }
    if (r.scheduled_at) first = r.scheduled_at;
    if (first) {
      auto local = local_slot(*first);
      data["date"] = local.date;
      data["time"] = local.time;
    }
  }
}

// The request page; `data` may carry an error for the note or the slot.
http::Response request_page(Exchange& ex, const Agent& agent, std::int64_t id, boost::json::object data, int status = 200) {
  auto r = service(ex).find(id);
  if (!r) return ex.failure(r.error());
  auto title = ex.t("assist_request_title", {{"reference", request_reference(ex, *r)}});
  // A page that comes back with an error says so first in its title.
  data["title"] = data.contains("has_errors") ? ex.t("error_prefix") + " " + title : title;
  data["heading"] = title;
  data["request"] = request_view(ex, *r);
  if (r->account) data["account"] = account_state(ex, *r->account);
  bool mine = r->assigned_to && *r->assigned_to == agent.account.id;
  if (r->assigned_to) {
    auto holder = ex.services().accounts.find_by_id(*r->assigned_to);
    if (holder) data["assigned_name"] = holder->display_name.empty() ? holder->identifier : holder->display_name;
  }
  if (r->status == AssistanceStatus::New && !r->assigned_to) data["can_take"] = true;
  if (r->status != AssistanceStatus::Done && mine) {
    data["can_act"] = true;
    data["is_rescheduling"] = r->scheduled_at.has_value();
    add_schedule_fields(ex, *r, data);
  }
  auto info = ex.query().get("info");
  if (info == "taken" || info == "scheduled" || info == "closed" || info == "conflict")
    data["notice"] = ex.t("support_request_notice_" + info);
  return ex.render("support_request", std::move(data), status);
}

// One staff action's outcome: back to the request, or its page with the problem.
http::Response after_action(Exchange& ex, const Agent& agent, std::int64_t id, const Result<void>& done,
                            std::string_view success, const char* field) {
  if (done) return ex.redirect(request_url(id, success));
  if (done.error().code == ErrorCode::FlowStateInvalid) return ex.redirect(request_url(id, "conflict"));
  if (done.error().code != ErrorCode::InvalidInput) return ex.failure(done.error());
  boost::json::object data;
  add_field_errors(ex, data, {{field, done.error().detail}}, {"slot", "note"});
  // What the agent typed stays in the fields.
  if (auto& form = *ex.form(); std::string_view(field) == "slot") {
    data["date"] = form.get("date");
    data["time"] = form.get("time");
  }
  return request_page(ex, agent, id, std::move(data), 422);
}

}  // namespace

http::Response show_assistance_queue(Exchange& ex) {
  auto status = parse_assistance_status(ex.query().get("statut")).value_or(AssistanceStatus::New);
  auto list = service(ex).queue(status);
  if (!list) return ex.failure(list.error());
  boost::json::array rows;
  for (const auto& r : *list) rows.push_back(request_view(ex, r));
  boost::json::array filters;
  for (auto s : {AssistanceStatus::New, AssistanceStatus::InProgress, AssistanceStatus::Scheduled, AssistanceStatus::Done})
    filters.push_back(boost::json::object{{"value", to_string(s)},
                                          {"label", ex.t(std::string("assistance_status_") + to_string(s))},
                                          {"current", s == status}});
  boost::json::object data{{"title", ex.t("support_requests_title")},
                           {"filters", std::move(filters)},
                           {"status_label", ex.t(std::string("assistance_status_") + to_string(status))},
                           {"requests", std::move(rows)},
                           {"empty", list->empty()}};
  return ex.render("support_requests", std::move(data));
}

http::Response show_assistance_request(Exchange& ex) {
  const Agent& agent = ex.agent();
  auto id = request_id(ex.query().get("id"));
  if (!id) return ex.error(404);
  return request_page(ex, agent, *id, {});
}

http::Response submit_assistance_take(Exchange& ex) {
  const Agent& agent = ex.agent();
  auto id = request_id(ex.form()->get("id"));
  if (!id) return ex.error(404);
  return after_action(ex, agent, *id, service(ex).take(*id, agent.account.id, ex.client()), "taken", "slot");
}

http::Response submit_assistance_schedule(Exchange& ex) {
  const Agent& agent = ex.agent();
  auto& form = *ex.form();
  auto id = request_id(form.get("id"));
  if (!id) return ex.error(404);
  // A day and an hour as the browser's date and time fields send them (or
  // typed as such without them); the service books only an offered slot.
  auto date = form.get("date");
  auto time = form.get("time");
  Result<void> done;
  if (date.empty() || time.empty()) {
    done = fail(ErrorCode::InvalidInput, date.empty() ? "callback_date_required" : "callback_time_required");
  } else if (auto at = offered_at(service(ex).offered_slots(), date, time)) {
    done = service(ex).schedule(*id, agent.account.id, *at, ex.client());
  } else {
    done = fail(ErrorCode::InvalidInput, "callback_outside_hours");
  }
  if (!done && done.error().code == ErrorCode::InvalidInput && done.error().detail == "slot_unavailable")
    done = fail(ErrorCode::InvalidInput, "callback_outside_hours");
  return after_action(ex, agent, *id, done, "scheduled", "slot");
}

http::Response submit_assistance_close(Exchange& ex) {
  const Agent& agent = ex.agent();
  auto& form = *ex.form();
  auto id = request_id(form.get("id"));
  if (!id) return ex.error(404);
  return after_action(ex, agent, *id, service(ex).close(*id, agent.account.id, form.get("note"), ex.client()), "closed",
                      "note");
}

}  // namespace portier::web
