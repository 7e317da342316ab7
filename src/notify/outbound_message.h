#pragma once
// A message waiting in, or gone through, the outbox: mail or SMS. Requests
// never talk SMTP or SMS themselves; they enqueue one of these in the same
// transaction as the state change it announces, and the outbox worker sends it.
#include <cstdint>
#include <optional>
#include <string>

#include "account/account.h"
#include "common/clock.h"

namespace portier {

enum class MessageChannel { Email, Sms };
enum class DeliveryStatus {
  Queued,    // waiting for its first attempt
  Sent,      // accepted by the SMTP server or SMS gateway
  Deferred,  // an attempt failed for a reason that may pass; retried at next_attempt_at
  Failed,    // given up: a permanent refusal, or retries exhausted
};

struct OutboundMessage {
  std::int64_t id = 0;
  MessageChannel channel = MessageChannel::Email;
  std::string recipient;              // an email address, or an E.164 number
  std::optional<AccountId> account;   // whose message it is (support sees it on the account page)
  std::string kind;                   // what it says: "recovery.password", "recovery.identifier", ...
  std::string lang = "fr";
  std::string subject;
  std::string body_text;
  std::string body_html;              // empty for SMS
  std::string reply_to;               // this message's Reply-To; empty: the sender's (mail.reply_to)
  DeliveryStatus status = DeliveryStatus::Queued;
  int attempts = 0;
  // Set by OutboxStore::claim_due for the worker that claimed the message;
  // each status update presents it, so that a worker whose lease ran out
  // (and whose message another node has claimed since) changes nothing.
  std::string claim_token;
  TimePoint created_at{};
  TimePoint next_attempt_at{};
  std::optional<TimePoint> sent_at;
  std::string last_error;             // of the last failed attempt, for support staff
};

const char* to_string(MessageChannel c);
const char* to_string(DeliveryStatus s);
std::optional<MessageChannel> parse_message_channel(std::string_view s);
std::optional<DeliveryStatus> parse_delivery_status(std::string_view s);

}  // namespace portier
