#include "web/metrics_endpoint.h"

namespace portier::web {

namespace {

http::Response plain(int status, std::string body, const char* type = "text/plain; charset=utf-8") {
  http::Response r;
  r.status = status;
  r.set_header("Content-Type", type);
  r.set_header("Cache-Control", "no-store");
  r.set_header("X-Content-Type-Options", "nosniff");
  r.body = std::move(body);
  return r;
}

}  // namespace

bool bearer_matches(const SecretHasher& secrets, std::string_view token, std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (token.empty() || authorization.size() <= kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return false;
  auto presented = authorization.substr(kScheme.size());
  // Digests have one length whatever was sent: the compare time says nothing
  // of the token's length or of how many leading bytes were right.
  return constant_time_equal(secrets.digest("metrics-token", presented), secrets.digest("metrics-token", token));
}

http::Response metrics_answer(const ServerConfig& config, const SecretHasher& secrets, const Metrics& metrics,
                              const http::Request& request) {
  if (!config.metrics_token.empty() && !bearer_matches(secrets, config.metrics_token, request.header("authorization"))) {
    auto r = plain(401, "bearer token required\n");
    r.set_header("WWW-Authenticate", "Bearer realm=\"metrics\"");
    return r;
  }
  return plain(200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
}

http::Response MetricsEndpoint::handle(const http::Request& request) {
  http::Response r;
  if (request.path != "/metrics") {
    r = plain(404, "not found\n");
    r.route = "unmatched";
  } else if (request.method != "GET" && request.method != "HEAD") {
    r = plain(405, "method not allowed\n");
    r.set_header("Allow", "GET, HEAD");
    r.route = "/metrics";
  } else {
    r = metrics_answer(config_, secrets_, metrics_, request);
    r.route = "/metrics";
  }
  return r;  // HEAD: the HTTP layer drops the body and keeps its length
}

http::Response MetricsEndpoint::error_page(int status, const http::Request*) {
  auto r = plain(status, "error\n");
  r.set_header("Connection", "close");
  return r;
}

}  // namespace portier::web
