#include "http/backchannel_poster.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <optional>

#include "config/loopback.h"

namespace portier::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

struct Target {
  bool tls = false;
  std::string host;  // without IPv6 brackets
  std::string port;
  std::string path;  // path and query, "/" at least
  std::string host_header;
};

Result<Target> parse_target(const std::string& uri) {
  auto parsed = boost::urls::parse_absolute_uri(uri);
  if (!parsed) return fail(ErrorCode::InvalidInput, "backchannel_logout_uri is not an absolute URI");
  Target t;
  auto scheme = parsed->scheme();
  if (scheme == "https") t.tls = true;
  else if (scheme != "http") return fail(ErrorCode::InvalidInput, "backchannel_logout_uri is neither https nor http");
  t.host = std::string(parsed->host_address());
  if (t.host.empty()) return fail(ErrorCode::InvalidInput, "backchannel_logout_uri has no host");
  // Plain http would carry the logout token in clear over a network.
  if (!t.tls && !is_loopback_host(t.host))
    return fail(ErrorCode::InvalidInput, "http backchannel_logout_uri allowed on loopback only");
  t.port = parsed->has_port() ? std::string(parsed->port()) : (t.tls ? "443" : "80");
  t.path = std::string(parsed->encoded_path());
  if (t.path.empty()) t.path = "/";
  if (parsed->has_query()) t.path += "?" + std::string(parsed->encoded_query());
  t.host_header = std::string(parsed->encoded_host_and_port());
  return t;
}

template <typename Stream>
asio::awaitable<int> exchange(Stream& stream, const Target& t, const std::string& body) {
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, t.path, 11};
  req.set(bhttp::field::host, t.host_header);
  req.set(bhttp::field::user_agent, "portier back-channel logout");
  req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
  req.set(bhttp::field::cache_control, "no-store");
  req.set(bhttp::field::connection, "close");  // one request per connection
  req.body() = body;
  req.prepare_payload();
  co_await bhttp::async_write(stream, req, asio::use_awaitable);
  // Only the status matters: the header is read, the body never (a server
  // that sends no length and keeps the connection open cannot hold us).
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::empty_body> parser;
  parser.header_limit(16 * 1024);
  co_await bhttp::async_read_header(stream, buffer, parser, asio::use_awaitable);
  co_return static_cast<int>(parser.get().result_int());
}

}  // namespace

Result<int> BackchannelPoster::post_form(const std::string& uri, const std::string& body) {
  auto target = parse_target(uri);
  if (!target) return tl::unexpected(target.error());
  // Declared before the io_context: destroying the context destroys any
  // abandoned coroutine, which must not outlive what it refers to.
  std::optional<Result<int>> outcome;
  asio::io_context ioc;
  auto connect_timeout = connect_timeout_;
  auto run = [&]() -> asio::awaitable<void> {
    const auto& t = *target;
    tcp::resolver resolver(ioc);
    auto endpoints = co_await resolver.async_resolve(t.host, t.port, asio::use_awaitable);
    if (!t.tls) {
      beast::tcp_stream stream(ioc);
      stream.expires_after(connect_timeout);
      co_await stream.async_connect(endpoints, asio::use_awaitable);
      stream.expires_never();  // the total deadline below bounds the rest
      outcome = co_await exchange(stream, t, body);
      co_return;
    }
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(asio::ssl::verify_peer);
    ctx.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                    asio::ssl::context::no_tlsv1_1);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    // SNI, and the certificate must name the host (not only chain to a CA).
    if (!SSL_set_tlsext_host_name(stream.native_handle(), t.host.c_str()))
      throw beast::system_error(beast::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()));
    stream.set_verify_callback(asio::ssl::host_name_verification(t.host));
    beast::get_lowest_layer(stream).expires_after(connect_timeout);
    co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
    beast::get_lowest_layer(stream).expires_never();
    co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    outcome = co_await exchange(stream, t, body);
    // No TLS shutdown: the answer is read, and some servers never reply to close_notify.
  };
  asio::co_spawn(ioc, run(), [&](std::exception_ptr e) {
    if (!e || outcome) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      outcome = fail(ErrorCode::Unavailable, std::string("back-channel logout POST failed: ") + ex.what());
    }
  });
  // The whole exchange (resolve, connect, TLS, request, answer) within the
  // total timeout; what is left undone is abandoned with the io_context.
  ioc.run_for(total_timeout_);
  if (!outcome) return fail(ErrorCode::Unavailable, "back-channel logout POST timed out");
  return *outcome;
}

}  // namespace portier::http
