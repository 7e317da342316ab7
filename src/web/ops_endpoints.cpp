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

http::Response metrics(Exchange& ex) {
  return plain(200, ex.services().metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace portier::web
