// Support staff's assistance queue (/support/demandes): list by status, one
// request, take / schedule / close. Behind the support console's gate
// (console_access.h: role support or admin, session signed in with an
// authenticator app); never reachable by members.
#include <cassert>
#include <charconv>

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

// The request page; `data` may carry an error for the note or the slot.
http::Response request_page(Exchange& ex, const Agent& agent, std::int64_t id, boost::json::object data, int status = 200) {
  auto r = service(ex).find(id);
  if (!r) return ex.failure(r.error());
  data["title"] = ex.t("support_request_title", {{"id", std::to_string(id)}});
  data["request"] = request_view(ex, *r);
  bool mine = r->assigned_to && *r->assigned_to == agent.account.id;
  if (r->assigned_to) {
    auto holder = ex.services().accounts.find_by_id(*r->assigned_to);
    if (holder) data["assigned_name"] = holder->display_name.empty() ? holder->identifier : holder->display_name;
  }
  if (r->status == AssistanceStatus::New && (!r->assigned_to || mine)) data["can_take"] = !mine;
  if (r->status != AssistanceStatus::Done && mine) {
    data["can_act"] = true;
    // Preferred slots still offered first, then every offered slot.
    auto offered = service(ex).offered_slots();
    boost::json::array preferred, others;
    for (auto at : r->preferred_slots)
      if (std::find(offered.begin(), offered.end(), at) != offered.end())
        preferred.push_back(boost::json::object{{"id", std::to_string(to_unix(at))}, {"label", ex.format_time(at)}});
    for (auto at : offered)
      others.push_back(boost::json::object{{"id", std::to_string(to_unix(at))}, {"label", ex.format_time(at)}});
    data["preferred_open"] = std::move(preferred);
    data["other_slots"] = std::move(others);
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
  for (auto s : {AssistanceStatus::New, AssistanceStatus::Scheduled, AssistanceStatus::Done})
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
  // A preferred slot (radio) wins over the list of every offered slot.
  auto chosen = form.get("slot").empty() ? form.get("other_slot") : form.get("slot");
  auto seconds = request_id(chosen);
  Result<void> done = seconds ? service(ex).schedule(*id, agent.account.id, from_unix(*seconds), ex.client())
                              : Result<void>(fail(ErrorCode::InvalidInput, chosen.empty() ? "slot_required" : "slot_unavailable"));
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
