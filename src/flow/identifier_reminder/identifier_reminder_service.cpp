#include "flow/identifier_reminder/identifier_reminder_service.h"

#include <boost/json.hpp>

#include "account/identifiers.h"

namespace portier {

IdentifierReminderService::IdentifierReminderService(AccountStore& accounts, OutboxStore& outbox,
                                                     RateLimiter& limiter, const MessageComposer& composer,
                                                     AuditLog& audit, const SecretHasher& secrets,
                                                     const Clock& clock, std::function<void()> wake_outbox,
                                                     IdentifierReminderSettings settings)
    : accounts_(accounts),
      outbox_(outbox),
      limiter_(limiter),
      composer_(composer),
      audit_(audit),
      secrets_(secrets),
      clock_(clock),
      wake_outbox_(std::move(wake_outbox)),
      settings_(std::move(settings)) {}

Result<ReminderOutcome> IdentifierReminderService::request(std::string_view raw, std::string_view lang_in,
                                                           const ClientInfo& client) {
  std::string lang = lang_in == "en" ? "en" : "fr";
  auto email = normalize_email(raw);
  if (!email) return fail(ErrorCode::InvalidInput, "not an email address");
  auto by_client = limiter_.allow("reminder:client:" + client.ip, settings_.per_client);
  if (!by_client) return tl::unexpected(by_client.error());
  if (!*by_client) {
    audit_.record("identifier_reminder.throttled", std::nullopt, std::nullopt, client, "too many requests from this address");
    return ReminderThrottled{};
  }
  auto by_target = limiter_.allow("reminder:target:" + secrets_.digest("rate-target", *email), settings_.per_target);
  if (!by_target) return tl::unexpected(by_target.error());

  auto found = accounts_.find_by_email(*email);
  if (!found) return tl::unexpected(found.error());
  // Disabled accounts cannot sign in; naming them would only confuse.
  std::erase_if(*found, [](const Account& a) { return a.status == AccountStatus::Disabled; });

  if (!*by_target) {
    audit_.record("identifier_reminder.throttled", std::nullopt,
                  found->empty() ? std::nullopt : std::optional(found->front().id), client, "too many requests for this address");
    return ReminderSent{};  // the same page: the limit itself must not tell anything
  }

  boost::json::array identifiers;
  for (auto& a : *found)
    identifiers.push_back(boost::json::object{{"identifier", a.identifier}, {"display_name", a.display_name}});
  std::string kind = found->empty() ? "recovery.identifier_unknown" : "recovery.identifier";
  // The address as the accounts have it, not as typed: the message goes to
  // the mailbox the network knows.
  auto m = composer_.message(kind, lang,
                             boost::json::object{{"email", *email},
                                                 {"identifiers", identifiers},
                                                 {"several", found->size() > 1},
                                                 {"sign_in", settings_.public_url + "/connexion"},
                                                 {"recovery", settings_.public_url + "/mot-de-passe-oublie"},
                                                 {"assistance", settings_.public_url + "/assistance"}},
                             MessageChannel::Email, found->empty() ? *email : found->front().email,
                             found->size() == 1 ? std::optional(found->front().id) : std::nullopt, clock_.now());
  auto queued = outbox_.enqueue(m);
  if (!queued) return tl::unexpected(queued.error());
  if (wake_outbox_) wake_outbox_();
  if (found->empty()) audit_.record("identifier_reminder.requested", std::nullopt, std::nullopt, client, "no matching account");
  for (auto& a : *found) audit_.record("identifier_reminder.requested", std::nullopt, a.id, client, "message queued");
  return ReminderSent{};
}

}  // namespace portier
