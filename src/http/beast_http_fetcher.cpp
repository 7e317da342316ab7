#include "http/beast_http_fetcher.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <optional>

#include "common/encoding.h"
#include "config/loopback.h"

namespace portier::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using federation::HttpAnswer;
using federation::HttpCall;

struct Target {
  bool tls = false;
  std::string host;  // without IPv6 brackets
  std::string port;
  std::string path;  // path and query, "/" at least
  std::string host_header;
};

Result<Target> parse_target(const std::string& uri) {
  auto parsed = boost::urls::parse_absolute_uri(uri);
  if (!parsed) return fail(ErrorCode::InvalidInput, "not an absolute URI");
  Target t;
  auto scheme = parsed->scheme();
  if (scheme == "https") t.tls = true;
  else if (scheme != "http") return fail(ErrorCode::InvalidInput, "neither https nor http");
  t.host = std::string(parsed->host_address());
  if (t.host.empty()) return fail(ErrorCode::InvalidInput, "no host");
  // The client secret, codes and tokens must not cross a network in clear.
  if (!t.tls && !is_loopback_host(t.host)) return fail(ErrorCode::InvalidInput, "http allowed on loopback only");
  t.port = parsed->has_port() ? std::string(parsed->port()) : (t.tls ? "443" : "80");
  t.path = std::string(parsed->encoded_path());
  if (t.path.empty()) t.path = "/";
  if (parsed->has_query()) t.path += "?" + std::string(parsed->encoded_query());
  t.host_header = std::string(parsed->encoded_host_and_port());
  return t;
}

template <typename Stream>
asio::awaitable<HttpAnswer> exchange(Stream& stream, const Target& t, const HttpCall& call, std::size_t max_body) {
  bhttp::request<bhttp::string_body> req{call.method == "POST" ? bhttp::verb::post : bhttp::verb::get, t.path, 11};
  req.set(bhttp::field::host, t.host_header);
  req.set(bhttp::field::user_agent, "portier federation");
  req.set(bhttp::field::connection, "close");
  for (const auto& [name, value] : call.headers) req.set(name, value);
  if (call.method == "POST") {
    req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
    req.body() = call.body;
  }
  req.prepare_payload();
  co_await bhttp::async_write(stream, req, asio::use_awaitable);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(max_body);  // a larger answer is an error, not a truncated document
  co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
  HttpAnswer answer;
  answer.status = static_cast<int>(parser.get().result_int());
  std::string type(parser.get()[bhttp::field::content_type]);
  answer.content_type = ascii_lower(trim(type.substr(0, type.find(';'))));
  answer.body = std::move(parser.get().body());
  co_return answer;
}

}  // namespace

Result<HttpAnswer> BeastHttpFetcher::fetch(const HttpCall& call) {
  auto target = parse_target(call.url);
  if (!target) return fail(ErrorCode::InvalidInput, call.url + ": " + target.error().detail);
  // Declared before the io_context: destroying the context destroys any
  // abandoned coroutine, which must not outlive what it refers to.
  std::optional<Result<HttpAnswer>> outcome;
  asio::io_context ioc;
  auto connect_timeout = connect_timeout_;
  auto max_body = max_body_;
  auto run = [&]() -> asio::awaitable<void> {
    const auto& t = *target;
    tcp::resolver resolver(ioc);
    auto endpoints = co_await resolver.async_resolve(t.host, t.port, asio::use_awaitable);
    if (!t.tls) {
      beast::tcp_stream stream(ioc);
      stream.expires_after(connect_timeout);
      co_await stream.async_connect(endpoints, asio::use_awaitable);
      stream.expires_never();  // the total deadline below bounds the rest
      outcome = co_await exchange(stream, t, call, max_body);
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
    outcome = co_await exchange(stream, t, call, max_body);
  };
  asio::co_spawn(ioc, run(), [&](std::exception_ptr e) {
    if (!e || outcome) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      outcome = fail(ErrorCode::Unavailable, call.method + " " + target->host_header + " failed: " + ex.what());
    }
  });
  ioc.run_for(total_timeout_);
  if (!outcome) return fail(ErrorCode::Unavailable, call.method + " " + target->host_header + " timed out");
  return *outcome;
}

}  // namespace portier::http
