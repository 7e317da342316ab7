#include "notify/outbound_message.h"

namespace portier {

// These strings are the values stored in the outbox table (see its CHECKs).
const char* to_string(MessageChannel c) {
  switch (c) {
    case MessageChannel::Email: return "email";
    case MessageChannel::Sms: return "sms";
  }
  return "email";
}

const char* to_string(DeliveryStatus s) {
  switch (s) {
    case DeliveryStatus::Queued: return "queued";
    case DeliveryStatus::Sent: return "sent";
    case DeliveryStatus::Deferred: return "deferred";
    case DeliveryStatus::Failed: return "failed";
  }
  return "queued";
}

std::optional<MessageChannel> parse_message_channel(std::string_view s) {
  if (s == "email") return MessageChannel::Email;
  if (s == "sms") return MessageChannel::Sms;
  return std::nullopt;
}

std::optional<DeliveryStatus> parse_delivery_status(std::string_view s) {
  if (s == "queued") return DeliveryStatus::Queued;
  if (s == "sent") return DeliveryStatus::Sent;
  if (s == "deferred") return DeliveryStatus::Deferred;
  if (s == "failed") return DeliveryStatus::Failed;
  return std::nullopt;
}

}  // namespace portier
