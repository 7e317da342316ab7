#pragma once
// federation::HttpFetcher over Boost.Beast and OpenSSL, like
// BackchannelPoster: one request per call on a private io_context, on the
// calling thread. https is verified against the system CA store with the
// host name checked; plain http only to loopback (tests, a local provider). Bounded in time and in
// size: the answer's body is read up to `max_body` bytes, then refused.
#include <chrono>
#include <cstddef>

#include "federation/http_fetcher.h"

namespace portier::http {

class BeastHttpFetcher final : public federation::HttpFetcher {
public:
  explicit BeastHttpFetcher(std::chrono::milliseconds connect_timeout = std::chrono::seconds(3),
                            std::chrono::milliseconds total_timeout = std::chrono::seconds(10),
                            std::size_t max_body = 512 * 1024)
      : connect_timeout_(connect_timeout), total_timeout_(total_timeout), max_body_(max_body) {}

  Result<federation::HttpAnswer> fetch(const federation::HttpCall& call) override;

private:
  std::chrono::milliseconds connect_timeout_;
  std::chrono::milliseconds total_timeout_;
  std::size_t max_body_;
};

}  // namespace portier::http
