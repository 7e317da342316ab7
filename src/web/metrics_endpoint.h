#pragma once
// /metrics for operators, never for the public: served on its own listener
// (server.metrics_listen) by MetricsEndpoint, and/or behind a bearer token
// (server.metrics_token). When either is configured, the public listener
// answers 404 for /metrics (web/ops_endpoints.cpp). The token is compared as
// keyed digests in constant time, so neither its bytes nor its length leak.
#include <string>
#include <string_view>

#include "common/metrics.h"
#include "common/secret_hasher.h"
#include "config/config.h"
#include "http/request.h"

namespace portier::web {

// True when `authorization` ("Bearer <token>") carries `token`.
bool bearer_matches(const SecretHasher& secrets, std::string_view token, std::string_view authorization);

// The plain /metrics answer under `config`'s rules: 401 + WWW-Authenticate
// when a token is set and not presented.
http::Response metrics_answer(const ServerConfig& config, const SecretHasher& secrets, const Metrics& metrics,
                              const http::Request& request);

// The handler of the metrics listener: GET/HEAD /metrics, 404 for anything
// else; on the I/O thread (rendering the counters takes microseconds).
class MetricsEndpoint final : public http::RequestHandler {
public:
  MetricsEndpoint(const ServerConfig& config, const SecretHasher& secrets, Metrics& metrics)
      : config_(config), secrets_(secrets), metrics_(metrics) {}
  http::Lane lane(const http::Request&) const override { return http::Lane::Inline; }
  http::Response handle(const http::Request& request) override;
  http::Response error_page(int status, const http::Request* request) override;

private:
  const ServerConfig& config_;
  const SecretHasher& secrets_;
  Metrics& metrics_;
};

}  // namespace portier::web
