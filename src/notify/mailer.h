#pragma once
#include <string>

#include "common/result.h"
#include "notify/outbound_message.h"

namespace portier {

// Hands one message to whatever delivers it (an SMTP server, a file).
class Mailer {
public:
  virtual ~Mailer() = default;
  /// Delivers `message`. Errors: Unavailable when a later attempt may
  /// succeed (server down, timeout, 4xx reply): the outbox retries;
  /// InvalidInput when it never will (5xx refusal of the recipient): the
  /// outbox marks it failed. `detail` is the server's words, for support staff.
  virtual Result<void> send(const OutboundMessage& message) = 0;
  /// Like send(), and returns what the far end said ("250 2.0.0 Ok: queued
  /// as 4Xyz", "written to data/outbox/…"), for `portier mail test`.
  virtual Result<std::string> deliver(const OutboundMessage& message) {
    if (auto sent = send(message); !sent) return tl::unexpected(sent.error());
    return describe();
  }
  /// What it sends through, for logs ("smtp://mail.example.org:587", "files in data/outbox").
  virtual std::string describe() const = 0;
};

}  // namespace portier
