#pragma once
// Maps method + path to a handler and turns every outcome into a complete
// response. The only http::RequestHandler of the application. Each route's
// policy (web/route.h) is enforced here, once.
#include <string>
#include <vector>

#include "http/request.h"
#include "web/route.h"
#include "web/static_files.h"

namespace portier::web {

class Router final : public http::RequestHandler {
public:
  Router(WebServices& services, StaticFiles statics);
  http::Lane lane(const http::Request& request) const override;
  http::Response handle(const http::Request& request) override;
  http::Response error_page(int status, const http::Request* request) override;

  const std::vector<Route>& routes() const { return routes_; }

private:
  const Route* match(const http::Request& request, bool& path_known) const;
  const Route* first_route(const std::string& path) const;
  // The answer to a CORS preflight (OPTIONS) on a Cors::Any path.
  http::Response preflight(const http::Request& request) const;
  // The methods the routes of `path` answer (for a 405's Allow).
  std::string allowed_methods(const std::string& path) const;
  // Access policy: the response to send instead of calling the handler, if any.
  std::optional<http::Response> refuse(const Route& route, Exchange& ex) const;

  WebServices& services_;
  StaticFiles statics_;
  std::vector<Route> routes_;
  std::string own_origin_;  // of server.public_url: the only Origin a POST may carry
};

}  // namespace portier::web
