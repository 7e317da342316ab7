#pragma once
// Delivers mail to an SMTP relay through libcurl: STARTTLS (or implicit TLS
// with smtps://), optional login, bounded connect and total timeouts.
// It runs only on the outbox worker's thread or the command line, never on
// an I/O or request thread, and never logs a message body or the password.
#include <chrono>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "notify/dkim_signer.h"
#include "notify/mailer.h"
#include "notify/mime_message.h"

namespace portier {

struct SmtpSettings {
  std::string url;                // smtp://host:port or smtps://host:port
  std::string tls = "starttls";   // smtp:// only: "starttls" (required) or "none" (loopback tests)
  std::string username;           // empty: no AUTH
  std::string password;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds timeout{30};  // the whole exchange
};

class SmtpMailer final : public Mailer {
public:
  // `dkim` may be null (no signature).
  SmtpMailer(SmtpSettings settings, MailSender sender, std::shared_ptr<const DkimSigner> dkim, Random& random,
             const Clock& clock);

  Result<void> send(const OutboundMessage& message) override;
  Result<std::string> deliver(const OutboundMessage& message) override;
  std::string describe() const override;

private:
  SmtpSettings settings_;
  MailSender sender_;
  std::shared_ptr<const DkimSigner> dkim_;
  Random& random_;
  const Clock& clock_;
};

}  // namespace portier
