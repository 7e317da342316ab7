#pragma once
// Delivers mail to an SMTP relay through libcurl: STARTTLS (or implicit TLS
// with smtps://), optional login, bounded connect and total timeouts.
// It runs only on the outbox worker's thread or the command line, never on
// an I/O or request thread, and never logs a message body or the password.
#include <chrono>
#include <memory>
#include <mutex>
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
  // One libcurl handle kept across messages, so that a batch goes over one
  // SMTP connection instead of one TCP (and TLS) handshake each. The worker
  // is one thread; the mutex keeps `mail test` or a second caller safe.
  std::mutex mutex_;
  std::unique_ptr<void, void (*)(void*)> curl_{nullptr, nullptr};
};

}  // namespace portier
