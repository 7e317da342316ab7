#pragma once
// The zero-configuration mailer: writes each message to a file under a
// folder (data/outbox by default) instead of sending it: mail as the exact
// MIME bytes SMTP would carry (<time>-<id>-<kind>.eml), SMS as .sms text.
// For development, tests and sites without a relay. It never leaves a
// half-written file: readers see a message whole or not at all.
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "notify/dkim_signer.h"
#include "notify/mailer.h"
#include "notify/mime_message.h"

namespace portier {

class FileMailer final : public Mailer {
public:
  // Creates `dir` (mode 0700) on the first send if needed. `dkim` may be null.
  FileMailer(std::string dir, MailSender sender, std::shared_ptr<const DkimSigner> dkim, Random& random,
             const Clock& clock);

  Result<void> send(const OutboundMessage& message) override;
  Result<std::string> deliver(const OutboundMessage& message) override;
  std::string describe() const override;

private:
  Result<std::string> write_file(const std::string& name, const std::string& bytes) const;

  std::string dir_;
  MailSender sender_;
  std::shared_ptr<const DkimSigner> dkim_;
  Random& random_;
  const Clock& clock_;
};

}  // namespace portier
