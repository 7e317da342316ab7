#pragma once
// The HTTP request and response as the rest of portier sees them: plain
// values, so that web/ never includes Beast or Asio.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/client_certificate.h"

namespace portier::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // upper-case, as sent
  std::string target;  // raw request target
  std::string path;    // target up to '?', not percent-decoded
  std::string query;   // after '?', raw
  Headers headers;     // names lower-cased
  std::string body;
  std::string remote_ip;  // the client's address: the TCP peer, or what a trusted proxy says
  bool tls = false;       // came over TLS (ours, or a trusted proxy's)
  // The listener asks for client certificates (client_certificates =
  // "optional" or "required"): the card sign-in lives there.
  bool asks_client_certificate = false;
  // Set only on a listener that asks for client certificates, when one was
  // presented (or forwarded by a trusted proxy); see client_certificate.h.
  std::optional<ClientCertificate> client_certificate;

  std::string_view header(std::string_view lower_name) const {
    for (auto& [k, v] : headers)
      if (k == lower_name) return v;
    return {};
  }
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::string route = "unmatched";  // route pattern, for metrics and logs only
  // The answer is written no sooner than this after the request was read:
  // answers whose work depends on a secret (does this account exist?) are
  // padded to one duration so that timing tells nothing. The wait is a timer
  // on the I/O thread, never a sleeping worker.
  std::chrono::milliseconds min_duration{0};

  void set_header(std::string name, std::string value) {
    for (auto& [k, v] : headers)
      if (k == name) { v = std::move(value); return; }
    headers.emplace_back(std::move(name), std::move(value));
  }
  bool has_header(std::string_view name) const {
    for (auto& [k, v] : headers)
      if (k == name) return true;
    return false;
  }
};

// Where the server runs a request's handler.
enum class Lane {
  Inline,   // on the I/O thread: static assets, health probes; no database, no hashing, nothing that blocks
  Pages,    // on the worker pool: database calls, rendering
  Hashing,  // checks or sets a password (argon2id): kept apart so that a flood of them cannot starve pages
};

// What the server calls for every request. Implemented by web::Router.
class RequestHandler {
public:
  virtual ~RequestHandler() = default;
  virtual Lane lane(const Request& request) const = 0;
  virtual Response handle(const Request& request) = 0;
  // A complete error page for errors the server detects itself (400, 413,
  // 431, 503). `request` is null when the request could not be parsed.
  virtual Response error_page(int status, const Request* request) = 0;
};

}  // namespace portier::http
