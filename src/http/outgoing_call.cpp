#include "http/outgoing_call.h"

#include <boost/url/parse.hpp>

#include "config/loopback.h"

namespace portier::http {

Result<OutgoingTarget> parse_outgoing_target(const std::string& uri) {
  auto parsed = boost::urls::parse_absolute_uri(uri);
  if (!parsed) return fail(ErrorCode::InvalidInput, "not an absolute URI");
  OutgoingTarget t;
  auto scheme = parsed->scheme();
  if (scheme == "https") t.tls = true;
  else if (scheme != "http") return fail(ErrorCode::InvalidInput, "neither https nor http");
  t.host = std::string(parsed->host_address());
  if (t.host.empty()) return fail(ErrorCode::InvalidInput, "no host");
  if (!t.tls && !is_loopback_host(t.host)) return fail(ErrorCode::InvalidInput, "http allowed on loopback only");
  t.port = parsed->has_port() ? std::string(parsed->port()) : (t.tls ? "443" : "80");
  t.path = std::string(parsed->encoded_path());
  if (t.path.empty()) t.path = "/";
  if (parsed->has_query()) t.path += "?" + std::string(parsed->encoded_query());
  t.host_header = std::string(parsed->encoded_host_and_port());
  return t;
}

}  // namespace portier::http
