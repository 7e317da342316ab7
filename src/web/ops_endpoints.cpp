#include "web/metrics_endpoint.h"
#include "web/pages.h"

namespace portier::web {

namespace {
http::Response plain(int status, std::string body, const char* type = "text/plain; charset=utf-8") {
  http::Response r;
  r.status = status;
  r.set_header("Content-Type", type);
  r.body = std::move(body);
  apply_security_headers(r, false);
  return r;
}
}  // namespace

http::Response healthz(Exchange&) { return plain(200, "ok\n"); }

http::Response readyz(Exchange& ex) {
  if (auto r = ex.services().database_ping(); !r) return plain(503, "database unavailable\n");
  return plain(200, "ready\n");
}

// On the public listener: absent when the metrics have their own listener
// (a 404 like any unknown page), token-guarded when a token is set.
http::Response metrics(Exchange& ex) {
  const auto& server = ex.services().config.server;
  if (!server.metrics_listen.empty()) return ex.error(404);
  auto r = metrics_answer(server, ex.services().secrets, ex.services().metrics, ex.request());
  apply_security_headers(r, false);
  return r;
}

}  // namespace portier::web
