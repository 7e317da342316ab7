#pragma once
// What the relying party needs from HTTP: one request, one bounded answer.
// Declared here, by its consumer; http/beast_http_fetcher.h implements it
// over the network, unit tests with canned answers.
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace portier::federation {

struct HttpCall {
  std::string method = "GET";  // GET or POST
  std::string url;             // https, or http to loopback only
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;            // POST: application/x-www-form-urlencoded
};

struct HttpAnswer {
  int status = 0;
  std::string content_type;  // media type only, lower-case, parameters dropped
  std::string body;
};

class HttpFetcher {
public:
  virtual ~HttpFetcher() = default;
  /// Unavailable when the host cannot be reached or answers too late or too
  /// much; InvalidInput for a URL it refuses (plain http off loopback). Any
  /// HTTP status is an answer, not an error.
  virtual Result<HttpAnswer> fetch(const HttpCall& call) = 0;
};

}  // namespace portier::federation
