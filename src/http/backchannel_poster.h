#pragma once
// oidc::BackchannelSender over Boost.Beast and OpenSSL: one POST per call on
// a private io_context, on the calling thread (the back-channel worker's,
// never an I/O thread). https is verified against the system CA store with
// the host name checked; plain http only to loopback (development, tests).
// Bounded: connect within `connect_timeout`, the whole exchange within
// `total_timeout`, only the answer's status line and header read.
#include <chrono>

#include "oidc/backchannel_sender.h"

namespace portier::http {

class BackchannelPoster final : public oidc::BackchannelSender {
public:
  explicit BackchannelPoster(std::chrono::milliseconds connect_timeout = std::chrono::seconds(3),
                             std::chrono::milliseconds total_timeout = std::chrono::seconds(5))
      : connect_timeout_(connect_timeout), total_timeout_(total_timeout) {}

  Result<int> post_form(const std::string& uri, const std::string& body) override;

private:
  std::chrono::milliseconds connect_timeout_;
  std::chrono::milliseconds total_timeout_;
};

}  // namespace portier::http
