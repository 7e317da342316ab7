#pragma once
// Sends each message through the mailer of its channel: mail to SMTP (or
// files), SMS to the HTTP gateway (or files). It owns no transport itself
// and never changes a message.
#include "notify/mailer.h"

namespace portier {

class ChannelMailer final : public Mailer {
public:
  ChannelMailer(Mailer& email, Mailer& sms) : email_(email), sms_(sms) {}

  Result<void> send(const OutboundMessage& m) override { return pick(m).send(m); }
  Result<std::string> deliver(const OutboundMessage& m) override { return pick(m).deliver(m); }
  std::string describe() const override {
    return "mail: " + email_.describe() + "; SMS: " + sms_.describe();
  }

private:
  Mailer& pick(const OutboundMessage& m) { return m.channel == MessageChannel::Sms ? sms_ : email_; }
  Mailer& email_;
  Mailer& sms_;
};

}  // namespace portier
