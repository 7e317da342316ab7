#pragma once
// One outgoing HTTP(S) exchange on a private io_context, on the calling
// thread (a worker's, never an I/O thread): what the back-channel logout
// poster and the federation fetcher share. https is verified against the
// system CA store with SNI and the host name checked; plain http only to
// loopback (development, tests), since what travels (logout tokens, client
// secrets, codes) must not cross a network in clear. Bounded: connected
// within `connect_timeout`, the whole exchange (resolve, connect, TLS,
// request, answer) within `total_timeout`; what is left undone is abandoned
// with the io_context.
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
#include <chrono>
#include <exception>
#include <optional>
#include <string>

#include "common/result.h"

namespace portier::http {

struct OutgoingTarget {
  bool tls = false;
  std::string host;  // without IPv6 brackets
  std::string port;
  std::string path;  // path and query, "/" at least
  std::string host_header;
};

// An absolute https URI, or http to a loopback host. Errors say what is
// wrong with the URI, not which setting held it (the caller adds that).
Result<OutgoingTarget> parse_outgoing_target(const std::string& uri);

struct OutgoingLimits {
  std::chrono::milliseconds connect_timeout;
  std::chrono::milliseconds total_timeout;
};

// Connects to `target` and runs `exchange(stream)`, a coroutine returning
// Result<T>, on a plain or a TLS stream. `what` names the call in errors
// ("back-channel logout POST").
template <typename T, typename Exchange>
Result<T> run_outgoing(const OutgoingTarget& target, OutgoingLimits limits, const std::string& what, Exchange exchange) {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  using tcp = asio::ip::tcp;
  // Declared before the io_context: destroying the context destroys any
  // abandoned coroutine, which must not outlive what it refers to.
  std::optional<Result<T>> outcome;
  asio::io_context ioc;
  auto run = [&]() -> asio::awaitable<void> {
    const auto& t = target;
    tcp::resolver resolver(ioc);
    auto endpoints = co_await resolver.async_resolve(t.host, t.port, asio::use_awaitable);
    if (!t.tls) {
      beast::tcp_stream stream(ioc);
      stream.expires_after(limits.connect_timeout);
      co_await stream.async_connect(endpoints, asio::use_awaitable);
      stream.expires_never();  // the total deadline bounds the rest
      outcome = co_await exchange(stream);
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
    beast::get_lowest_layer(stream).expires_after(limits.connect_timeout);
    co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
    beast::get_lowest_layer(stream).expires_never();
    co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    outcome = co_await exchange(stream);
    // No TLS shutdown: the answer is read, and some servers never reply to close_notify.
  };
  asio::co_spawn(ioc, run(), [&](std::exception_ptr e) {
    if (!e || outcome) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      outcome = fail(ErrorCode::Unavailable, what + " to " + target.host_header + " failed: " + ex.what());
    }
  });
  ioc.run_for(limits.total_timeout);
  if (!outcome) return fail(ErrorCode::Unavailable, what + " to " + target.host_header + " timed out");
  return std::move(*outcome);
}

}  // namespace portier::http
