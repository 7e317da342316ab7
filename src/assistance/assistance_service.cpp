#include "assistance/assistance_service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "account/identifiers.h"
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

boost::json::array formatted(const std::vector<TimePoint>& slots, std::string_view lang) {
  boost::json::array a;
  for (auto at : slots) a.push_back(boost::json::string(format_local_time(at, lang)));
  return a;
}

}  // namespace

AssistanceService::AssistanceService(AccountStore& accounts, AssistanceStore& requests, RateLimiter& limiter,
                                     const MessageComposer& composer, AuditLog& audit, const Clock& clock,
                                     std::function<void()> wake_outbox, AssistanceSettings settings)
    : accounts_(accounts),
      requests_(requests),
      limiter_(limiter),
      composer_(composer),
      audit_(audit),
      clock_(clock),
      wake_outbox_(std::move(wake_outbox)),
      settings_(std::move(settings)) {}

std::vector<TimePoint> AssistanceService::offered_slots() const { return callback_slots(settings_.hours, clock_.now()); }

Result<std::pair<std::optional<Account>, std::optional<std::string>>> AssistanceService::resolve(std::string_view target) {
  std::optional<Account> account;
  std::optional<std::string> answer_to;
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
  if (!trimmed(form.phone).empty()) {
    c.phone = normalize_phone(form.phone, settings_.phone_default_country);
    if (!c.phone) problems["phone"] = "invalid_phone";
  }
  if (c.message.empty()) problems["message"] = "required";
  else if (code_points(c.message) > settings_.max_message) problems["message"] = "message_too_long";

  auto offered = offered_slots();
  for (const auto& id : form.slots) {
    auto seconds = parse_slot_id(id);
    auto at = seconds ? std::optional(from_unix(*seconds)) : std::nullopt;
    if (!at || std::find(offered.begin(), offered.end(), *at) == offered.end()) {
      problems["slots"] = "slot_unavailable";  // a stale page, or a forged value
      break;
    }
    if (std::find(c.slots.begin(), c.slots.end(), *at) == c.slots.end()) c.slots.push_back(*at);
  }
  if (!problems.contains("slots")) {
    if (c.slots.empty()) problems["slots"] = "slot_required";
    else if (c.slots.size() > settings_.max_slots) problems["slots"] = "slot_too_many";
  }
  std::sort(c.slots.begin(), c.slots.end());
  return c;
}

AssistanceProblems AssistanceService::problems(const AssistanceForm& form) const { return check(form).problems; }

Result<AssistanceOutcome> AssistanceService::submit(const AssistanceForm& form, std::string_view lang_in,
                                                    const ClientInfo& client) {
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

  auto resolved = resolve(target);
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
  std::optional<OutboundMessage> ack;
  // The acknowledgement carries nothing the requester typed (no message, no
  // name, no phone): anyone can type anyone's address, and the portal must
  // not carry a stranger's words from its own address. Only the slots,
  // picked from the portal's own list.
  if (answer_to)
    ack = composer_.message("assistance.acknowledgement", lang,
                            boost::json::object{{"slots", formatted(chosen, lang)}},
                            MessageChannel::Email, *answer_to, r.account, clock_.now());
  auto id = requests_.create(r, ack);
  if (!id) return tl::unexpected(id.error());
  if (ack && wake_outbox_) wake_outbox_();
  audit_.record("assistance.requested", std::nullopt, r.account, client, "request " + std::to_string(*id));
  return AssistanceOutcome{AssistanceReceived{}};
}

Result<std::vector<AssistanceRequest>> AssistanceService::queue(std::optional<AssistanceStatus> status, int limit) {
  return requests_.list(status, limit);
}

Result<AssistanceRequest> AssistanceService::find(std::int64_t id) { return requests_.find(id); }

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
  if (r->email)
    confirmation = composer_.message("assistance.scheduled", r->lang,
                                     // Nothing the requester typed (see submit()).
                                     boost::json::object{{"time", format_local_time(at, r->lang)},
                                                         {"has_phone", r->phone.has_value()}},
                                     MessageChannel::Email, *r->email, r->account, clock_.now());
  auto scheduled = requests_.schedule(id, agent, at, confirmation);
  if (!scheduled) return scheduled;
  if (confirmation && wake_outbox_) wake_outbox_();
  audit_.record("assistance.scheduled", agent, r->account, client,
                "request " + std::to_string(id) + " at " + std::to_string(to_unix(at)));
  return {};
}

Result<void> AssistanceService::close(std::int64_t id, AccountId agent, std::string_view note_in,
                                      const ClientInfo& client) {
  auto note = trimmed(note_in);
  if (note.empty()) return fail(ErrorCode::InvalidInput, "required");
  if (!is_valid_utf8(note) || code_points(note) > kMaxNote) return fail(ErrorCode::InvalidInput, "too_long");
  auto r = requests_.find(id);
  if (!r) return tl::unexpected(r.error());
  auto closed = requests_.close(id, agent, note, clock_.now());
  if (!closed) return closed;
  audit_.record("assistance.closed", agent, r->account, client, "request " + std::to_string(id));
  return {};
}

}  // namespace portier
