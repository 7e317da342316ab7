#include "assistance/assistance_service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "account/identifiers.h"
#include "assistance/request_reference.h"
#include "common/encoding.h"
#include "common/time_format.h"

namespace portier {

namespace {

constexpr std::size_t kMaxTarget = 254;
constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxNote = 2000;

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

std::string trimmed(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

std::optional<std::int64_t> parse_slot_id(std::string_view s) {
  if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  return std::stoll(std::string(s));
}

// The parts of days chosen, as the member chose them ("jeudi 3 décembre, le matin").
boost::json::array formatted(const std::vector<TimePoint>& parts, std::string_view lang) {
  boost::json::array a;
  for (auto at : parts) a.push_back(boost::json::string(part_label(at, lang)));
  return a;
}

// References drawn before giving up on a (very unlikely) run of collisions.
constexpr int kReferenceDraws = 8;

}  // namespace

AssistanceService::AssistanceService(AccountStore& accounts, AssistanceStore& requests, RateLimiter& limiter,
                                     const MessageComposer& composer, AuditLog& audit, const Clock& clock,
                                     Random& random, std::function<void()> wake_outbox, AssistanceSettings settings)
    : accounts_(accounts),
      requests_(requests),
      limiter_(limiter),
      composer_(composer),
      audit_(audit),
      clock_(clock),
      random_(random),
      wake_outbox_(std::move(wake_outbox)),
      settings_(std::move(settings)) {}

std::vector<TimePoint> AssistanceService::offered_slots() const { return callback_slots(settings_.hours, clock_.now()); }

std::vector<PartChoice> AssistanceService::offered_parts() const { return part_choices(offered_slots()); }

Result<std::pair<std::optional<Account>, std::optional<std::string>>> AssistanceService::resolve(
    std::string_view target, const std::optional<Account>& visitor) {
  std::optional<Account> account;
  std::optional<std::string> answer_to;
  // A signed-in member asking about her own account: the session proves the
  // mailbox is hers, so the answers go there even for an identifier typed.
  if (visitor && visitor->status == AccountStatus::Active) {
    auto id = normalize_identifier(target);
    auto email = normalize_email(target);
    if ((id && *id == visitor->identifier) || (email && *email == visitor->email))
      return std::pair{std::optional<Account>(*visitor), std::optional<std::string>(visitor->email)};
  }
  if (auto id = normalize_identifier(target)) {
    auto found = accounts_.find_by_identifier(*id);
    if (found) account = std::move(*found);
    else if (found.error().code != ErrorCode::NotFound) return tl::unexpected(found.error());
  }
  auto email = normalize_email(target);
  if (!account && email) {
    auto found = accounts_.find_by_email(*email);
    if (!found) return tl::unexpected(found.error());
    // Several accounts share an address: none is named, staff ask on the phone.
    if (found->size() == 1) account = std::move(found->front());
  }
  if (account && account->status == AccountStatus::Disabled) account.reset();
  // Only the address typed gets mail, never one found by lookup: whoever
  // types a member's identifier must not make the portal write to that
  // member (the requester would then choose when a member's mailbox hears
  // from the portal, and with what). An identifier alone gets no mail.
  if (email) answer_to = *email;
  return std::pair{std::move(account), std::move(answer_to)};
}

AssistanceService::Checked AssistanceService::check(const AssistanceForm& form) const {
  Checked c;
  auto& problems = c.problems;
  for (auto* text : {&form.target, &form.name, &form.phone, &form.message})
    if (!is_valid_utf8(*text)) {
      problems["message"] = "invalid_text";
      return c;
    }
  c.target = trimmed(form.target);
  c.name = trimmed(form.name);
  c.message = trimmed(form.message);
  if (c.target.empty()) problems["target"] = "required";
  else if (c.target.size() > kMaxTarget || (!normalize_identifier(c.target) && !normalize_email(c.target)))
    problems["target"] = "invalid_target";
  if (code_points(c.name) > kMaxName) problems["name"] = "name_too_long";
  // Required: the answer is a call back. Any French or international number
  // (a hospital's switchboard will do), read like the other phone fields.
  if (trimmed(form.phone).empty()) {
    problems["phone"] = "callback_phone_required";
  } else {
    c.phone = normalize_phone(form.phone, settings_.phone_default_country);
    if (!c.phone) problems["phone"] = "callback_phone_invalid";
  }
  if (c.message.empty()) problems["message"] = "required";
  else if (code_points(c.message) > settings_.max_message) problems["message"] = "message_too_long";

  auto offered = offered_parts();
  auto is_offered = [&](TimePoint at) {
    return std::any_of(offered.begin(), offered.end(), [&](const PartChoice& p) { return p.start == at; });
  };
  for (const auto& id : form.slots) {
    auto seconds = parse_slot_id(id);
    auto at = seconds ? std::optional(from_unix(*seconds)) : std::nullopt;
    if (!at || !is_offered(*at)) {
      problems["slots"] = "part_unavailable";  // a stale page, or a forged value
      break;
    }
    if (std::find(c.slots.begin(), c.slots.end(), *at) == c.slots.end()) c.slots.push_back(*at);
  }
  if (!problems.contains("slots")) {
    if (c.slots.empty()) problems["slots"] = "part_required";
    else if (c.slots.size() > settings_.max_slots) problems["slots"] = "part_too_many";
  }
  std::sort(c.slots.begin(), c.slots.end());
  return c;
}

AssistanceProblems AssistanceService::problems(const AssistanceForm& form) const { return check(form).problems; }

Result<AssistanceOutcome> AssistanceService::submit(const AssistanceForm& form, std::string_view lang_in,
                                                    const ClientInfo& client, const std::optional<Account>& visitor) {
  std::string lang = lang_in == "en" ? "en" : "fr";
  auto checked = check(form);
  if (!checked.problems.empty()) return AssistanceOutcome{AssistanceRejected{std::move(checked.problems)}};
  auto& [problems_, target, name, message, phone, chosen] = checked;

  auto allowed = limiter_.allow("assistance:client:" + client.ip, settings_.per_client);
  if (!allowed) return tl::unexpected(allowed.error());
  if (!*allowed) {
    audit_.record("assistance.throttled", std::nullopt, std::nullopt, client, "too many requests from this address");
    return AssistanceOutcome{AssistanceThrottled{}};
  }

  auto resolved = resolve(target, visitor);
  if (!resolved) return tl::unexpected(resolved.error());
  auto& [account, answer_to] = *resolved;
  AssistanceRequest r;
  r.created_at = clock_.now();
  r.target_text = target;
  if (account) r.account = account->id;
  r.name = name;
  r.phone = phone;
  r.email = answer_to;
  r.message = message;
  r.preferred_slots = chosen;
  r.lang = lang;
  // The acknowledgement carries nothing the requester typed (no message, no
  // name, no phone): anyone can type anyone's address, and the portal must
  // not carry a stranger's words from its own address. Only the reference
  // and the parts of days, picked from the portal's own list. Replies go to
  // the assistance's address.
  auto acknowledgement = [&] {
    auto m = composer_.message("assistance.acknowledgement", lang,
                               boost::json::object{{"slots", formatted(chosen, lang)}, {"reference", r.reference}},
                               MessageChannel::Email, *answer_to, r.account, clock_.now());
    m.reply_to = settings_.reply_to;
    return m;
  };
  // The team is told that a request is waiting, with its reference and a
  // link to the console: never the text, the name or the address typed (a
  // stranger's words would otherwise reach the team's mailbox as the
  // portal's own, links and all). Staff read the request in the console.
  auto team_notice = [&](std::int64_t id) {
    return composer_.message("assistance.team_notice", settings_.team_lang,
                               boost::json::object{{"reference", r.reference},
                                                   {"received", format_local_time(r.created_at, settings_.team_lang)},
                                                   {"slots", formatted(chosen, settings_.team_lang)},
                                                   {"url", settings_.public_url + "/support/demandes/demande?id=" +
                                                               std::to_string(id)}},
                               MessageChannel::Email, settings_.team_email, std::nullopt, clock_.now());
  };
  auto messages = [&](std::int64_t id) {
    std::vector<OutboundMessage> out;
    if (answer_to) out.push_back(acknowledgement());
    if (!settings_.team_email.empty()) out.push_back(team_notice(id));
    return out;
  };
  Result<std::int64_t> id = fail(ErrorCode::Conflict, "no reference drawn");
  for (int draw = 0; draw < kReferenceDraws; ++draw) {
    r.reference = new_request_reference(random_);
    id = requests_.create(r, messages);
    if (id || id.error().code != ErrorCode::Conflict) break;
  }
  if (!id) return tl::unexpected(id.error());
  if ((answer_to || !settings_.team_email.empty()) && wake_outbox_) wake_outbox_();
  audit_.record("assistance.requested", std::nullopt, r.account, client,
                "request " + std::to_string(*id) + " (" + r.reference + ")");
  return AssistanceOutcome{AssistanceReceived{r.reference}};
}

Result<std::vector<AssistanceRequest>> AssistanceService::queue(std::optional<AssistanceStatus> status, int limit) {
  return requests_.list(status, limit);
}

Result<AssistanceRequest> AssistanceService::find(std::int64_t id) { return requests_.find(id); }

Result<int> AssistanceService::count_new() { return requests_.count(AssistanceStatus::New); }

Result<std::vector<AssistanceRequest>> AssistanceService::for_account(AccountId account, int limit) {
  return requests_.list_for_account(account, limit);
}

Result<void> AssistanceService::take(std::int64_t id, AccountId agent, const ClientInfo& client) {
  auto r = requests_.find(id);
  if (!r) return tl::unexpected(r.error());
  auto taken = requests_.take(id, agent);
  if (!taken) return taken;
  audit_.record("assistance.taken", agent, r->account, client, "request " + std::to_string(id));
  return {};
}

Result<void> AssistanceService::schedule(std::int64_t id, AccountId agent, TimePoint at, const ClientInfo& client) {
  auto r = requests_.find(id);
  if (!r) return tl::unexpected(r.error());
  auto offered = offered_slots();
  if (std::find(offered.begin(), offered.end(), at) == offered.end()) return fail(ErrorCode::InvalidInput, "slot_unavailable");
  std::optional<OutboundMessage> confirmation;
  if (r->email) {
    confirmation = composer_.message("assistance.scheduled", r->lang,
                                     // Nothing the requester typed (see submit()).
                                     boost::json::object{{"time", format_local_time(at, r->lang)},
                                                         {"reference", r->reference},
                                                         {"rescheduled", r->scheduled_at.has_value()},
                                                         {"has_phone", r->phone.has_value()}},
                                     MessageChannel::Email, *r->email, r->account, clock_.now());
    confirmation->reply_to = settings_.reply_to;
  }
  auto scheduled = requests_.schedule(id, agent, at, confirmation);
  if (!scheduled) return scheduled;
  if (confirmation && wake_outbox_) wake_outbox_();
  audit_.record("assistance.scheduled", agent, r->account, client,
                "request " + std::to_string(id) + (r->scheduled_at ? " moved to " : " at ") +
                    std::to_string(to_unix(at)));
  return {};
}

Result<void> AssistanceService::close(std::int64_t id, AccountId agent, std::string_view note_in,
                                      const ClientInfo& client) {
  auto note = trimmed(note_in);
  if (note.empty()) return fail(ErrorCode::InvalidInput, "required");
  if (!is_valid_utf8(note) || code_points(note) > kMaxNote) return fail(ErrorCode::InvalidInput, "too_long");
  auto r = requests_.find(id);
  if (!r) return tl::unexpected(r.error());
  // The member learns that the request is closed, not the agent's note:
  // staff write it for staff.
  std::optional<OutboundMessage> notice;
  if (r->email) {
    notice = composer_.message("assistance.closed", r->lang, boost::json::object{{"reference", r->reference}},
                               MessageChannel::Email, *r->email, r->account, clock_.now());
    notice->reply_to = settings_.reply_to;
  }
  auto closed = requests_.close(id, agent, note, clock_.now(), notice);
  if (!closed) return closed;
  if (notice && wake_outbox_) wake_outbox_();
  audit_.record("assistance.closed", agent, r->account, client, "request " + std::to_string(id));
  return {};
}

}  // namespace portier
