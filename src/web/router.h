#pragma once
// Maps method + path to a handler and turns every outcome into a complete
// response. The only http::RequestHandler of the application.
#include <map>
#include <string>
#include <vector>

#include "http/request.h"
#include "web/pages.h"
#include "web/static_files.h"

namespace portier::web {

class Router final : public http::RequestHandler {
public:
  Router(WebServices& services, StaticFiles statics);
  bool is_inline(const http::Request& request) const override;
  http::Response handle(const http::Request& request) override;
  http::Response error_page(int status, const http::Request* request) override;

private:
  struct Route {
    std::string method;
    std::string path;
    Handler handler;
    bool inline_ok;  // answered on the I/O thread: no database, no hashing
  };
  const Route* match(const http::Request& request, bool& path_known) const;

  WebServices& services_;
  StaticFiles statics_;
  std::vector<Route> routes_;
};

}  // namespace portier::web
