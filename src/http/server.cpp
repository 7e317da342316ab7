#include "http/server.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "config/pages_threads.h"
#include "http/bounded_pool.h"
#include "http/certificate_check.h"
#include "http/connection_limits.h"
#include "http/forwarded.h"
#include "http/log_limiter.h"
#include "http/peer_certificate.h"
#include "http/tls_context.h"
#include "throttle/address_ranges.h"

namespace portier::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

namespace {

// One open client connection, plain or TLS: the session loop is one template
// over both streams. `busy` is only touched on the connection's strand.
struct Connection {
  explicit Connection(tcp::socket socket) : plain(std::move(socket)) {}
  beast::tcp_stream plain;  // moved into `secure` on a TLS listener
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  std::shared_ptr<ssl::context> context;  // the one this connection's handshake used (SIGHUP swaps the listener's)
  bool busy = false;
  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : plain; }
};

// What holds for every request of one connection.
struct ConnectionFacts {
  std::string peer_ip;
  bool tls = false;
  bool trusted_proxy = false;  // the peer is in server.trusted_proxies
  std::optional<ClientCertificate> handshake_certificate;
};

Request to_request(const bhttp::request<bhttp::string_body>& in, const std::string& ip) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  auto q = r.target.find('?');
  r.path = r.target.substr(0, q);
  if (q != std::string::npos) r.query = r.target.substr(q + 1);
  for (auto& field : in) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  r.body = in.body();
  r.remote_ip = ip;
  return r;
}

// A HEAD answer is the GET answer without its body: handlers answer HEAD as
// GET, and here the body is dropped while Content-Length keeps the length GET
// would have sent (RFC 9110 9.3.2), so a client or cache can trust it.
bhttp::response<bhttp::string_body> to_beast(Response&& r, unsigned version, bool keep_alive, bool head) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(r.status), version};
  // insert, not set: a response may carry several Set-Cookie fields.
  for (auto& [k, v] : r.headers) out.insert(k, v);
  out.keep_alive(keep_alive);
  if (head) {
    out.content_length(r.body.size());
  } else {
    out.body() = std::move(r.body);
    out.prepare_payload();
  }
  return out;
}

int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

// Every connection holds a descriptor: a cap above the process's limit would
// never be reached before accept() fails with EMFILE.
int derived_max_connections() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 10000;
  return std::clamp(static_cast<int>(std::min<rlim_t>(limit.rlim_cur, 20000)) - 64, 16, 10000);
}

// Out of descriptors or kernel memory: accepting again at once would spin on
// the same error (the pending connection stays in the backlog), so pause.
bool is_resource_exhaustion(const beast::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
         ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

constexpr auto kAcceptPause = std::chrono::milliseconds(100);
// How often client_ca and CRL files are looked at (a stat each) between SIGHUPs.
constexpr auto kCertificateCheckRefresh = std::chrono::seconds(60);

}  // namespace

// One listening socket, the handler of its requests and its connection caps
// (the metrics listener has its own small ones, so that a flood on the
// public listener never keeps monitoring out).
// A TLS listener's context and a listener's certificate judge: replaced
// together by SIGHUP, read by every new connection.
struct Listener {
  Listener(asio::io_context& ioc, RequestHandler* h, std::string n, ConnectionLimits::Settings caps,
           ListenerConfig c = {})
      : acceptor(ioc), handler(h), name(std::move(n)), limits(caps), config(std::move(c)) {}
  tcp::acceptor acceptor;
  RequestHandler* handler;
  std::string name;
  ConnectionLimits limits;
  ListenerConfig config;
  std::string bound;  // host:port once bound

  std::shared_ptr<ssl::context> tls_context() const {
    std::lock_guard lock(mutex);
    return tls;
  }
  std::shared_ptr<const CertificateCheck> certificate_check() const {
    std::lock_guard lock(mutex);
    return check;
  }
  void install(std::shared_ptr<ssl::context> context, std::shared_ptr<const CertificateCheck> judge) {
    std::lock_guard lock(mutex);
    if (context) tls = std::move(context);
    if (judge) check = std::move(judge);
  }

private:
  mutable std::mutex mutex;
  std::shared_ptr<ssl::context> tls;
  std::shared_ptr<const CertificateCheck> check;
};

// The listeners the configuration asks for: [[server.listeners]], or
// server.listen alone as one plain listener.
std::vector<ListenerConfig> configured_listeners(const ServerConfig& c) {
  if (!c.listeners.empty()) return c.listeners;
  ListenerConfig plain;
  plain.address = c.listen;
  return {plain};
}

// In logs and messages: the configuration key the operator can look up.
std::string listener_name(const ServerConfig& c, std::size_t i) {
  return c.listeners.empty() ? std::string("public") : "server.listeners[" + std::to_string(i) + "]";
}

// Builds what a listener needs from its files; the first error, if any.
Result<void> load_listener_files(Listener& l) {
  std::shared_ptr<ssl::context> context;
  std::shared_ptr<const CertificateCheck> judge;
  if (l.config.is_tls()) {
    auto made = make_tls_context(l.config, l.name);
    if (!made) return tl::unexpected(made.error());
    context = *made;
  }
  if (l.config.asks_client_certificate()) {
    auto loaded = CertificateCheck::load(l.config);
    if (!loaded) return fail(loaded.error().code, l.name + ": " + loaded.error().detail);
    judge = *loaded;
  }
  l.install(std::move(context), std::move(judge));
  return {};
}

constexpr ConnectionLimits::Settings kMetricsListenerCaps{16, 32};

struct Server::Impl {
  Impl(const ServerConfig& c, RequestHandler& h, Metrics& m)
      : config(c),
        handler(h),
        metrics(m),
        io_threads(c.io_threads > 0 ? c.io_threads : cores()),
        ioc(io_threads),
        pages("pages", pages_threads(c), std::max(0, c.worker_queue_limit - pages_threads(c))),
        hashing("hashing", hashing_threads(c), c.hashing_queue > 0 ? c.hashing_queue : 32 * hashing_threads(c)),
        refused_log(c.refused_log_interval),
        accept_log(c.refused_log_interval),
        total_connections(c.max_connections > 0 ? c.max_connections : derived_max_connections()),
        // Forwarded clients are capped per request in flight, at the same
        // number as direct clients' connections.
        forwarded_limits({c.max_connections_per_ip, std::numeric_limits<int>::max()}),
        signals(ioc, SIGINT, SIGTERM),
        hangup(ioc, SIGHUP) {
    trusted = AddressRanges::parse(c.trusted_proxies).value_or(AddressRanges{});
    auto configs = configured_listeners(c);
    for (std::size_t i = 0; i < configs.size(); ++i) {
      // The total cap is per listener: a flood on one cannot keep the card
      // listener's clients out.
      listeners.push_back(std::make_unique<Listener>(ioc, &h, listener_name(c, i), ConnectionLimits::Settings{c.max_connections_per_ip, total_connections},
                                                     configs[i]));
    }
  }

  static int hashing_threads(const ServerConfig& c) {
    return c.hashing_threads > 0 ? c.hashing_threads : std::max(1, cores() / 2);
  }

  const ServerConfig& config;
  RequestHandler& handler;
  Metrics& metrics;
  int io_threads;
  asio::io_context ioc;
  BoundedPool pages;
  BoundedPool hashing;
  LogLimiter refused_log;
  LogLimiter accept_log;
  int total_connections;
  std::vector<std::unique_ptr<Listener>> listeners;  // [0] is the public one
  std::unique_ptr<Listener> metrics_listener;
  AddressRanges trusted;
  ConnectionLimits forwarded_limits;
  asio::signal_set signals;
  asio::signal_set hangup;
  std::atomic<bool> stopping{false};

  Listener& public_listener() { return *listeners.front(); }

  std::mutex conn_mutex;
  std::unordered_set<std::shared_ptr<Connection>> connections;

  long open_connections() {
    std::lock_guard lock(conn_mutex);
    return static_cast<long>(connections.size());
  }

  awaitable<Response> dispatch(RequestHandler& h, const Request& req) {
    auto lane = h.lane(req);
    if (lane == Lane::Inline) co_return h.handle(req);
    auto& pool = lane == Lane::Hashing ? hashing : pages;
    // Bounded: past the limit, say so at once rather than let a sign-in storm
    // pile up minutes of hashing behind every request.
    auto ticket = pool.try_enter();
    if (!ticket) {
      metrics.count_pool_full(pool.name());
      auto r = h.error_page(503, &req);
      r.set_header("Retry-After", "2");
      co_return r;
    }
    co_return co_await asio::co_spawn(
        pool.executor(), [&]() -> awaitable<Response> { co_return h.handle(req); }, use_awaitable);
  }

  template <typename Stream>
  awaitable<void> write(Stream& stream, Response&& r, unsigned version, bool keep_alive, bool head = false) {
    auto out = to_beast(std::move(r), version, keep_alive, head);
    beast::get_lowest_layer(stream).expires_after(config.write_timeout);
    co_await bhttp::async_write(stream, out, use_awaitable);
  }

  // The request as the handler sees it: the real client (behind a trusted
  // proxy), TLS or not, and the client certificate judged by the listener.
  // Forwarding and certificate headers never reach the handler.
  Request complete(Request req, const ConnectionFacts& facts, const Listener& listener) {
    req.tls = facts.tls;
    req.asks_client_certificate = listener.config.asks_client_certificate();
    if (req.asks_client_certificate) req.client_certificate = facts.handshake_certificate;
    if (facts.trusted_proxy) {
      auto forwarded = resolve_forwarded(req.headers, facts.peer_ip, trusted);
      req.remote_ip = forwarded.client_ip;
      if (forwarded.https) req.tls = *forwarded.https;
      if (req.asks_client_certificate && !req.client_certificate)
        if (auto judge = listener.certificate_check()) req.client_certificate = judge->from_proxy_headers(req.headers);
    }
    strip_forwarding_headers(req.headers);
    return req;
  }

  // One connection's requests, over a plain or a TLS stream.
  template <typename Stream>
  awaitable<void> session(Stream& stream, Connection& conn, const ConnectionFacts& facts, Listener& listener) {
    auto& h = *listener.handler;
    auto& lowest = beast::get_lowest_layer(stream);
    beast::flat_buffer buffer;
    {
      for (;;) {
        if (stopping) break;
        // Wait for the first byte of the next request under the idle timeout;
        // from then on the whole request must arrive within read_timeout, so
        // a client trickling bytes (slowloris) is cut off.
        if (buffer.size() == 0) {
          lowest.expires_after(config.idle_timeout);
          auto n = co_await stream.async_read_some(buffer.prepare(4096), use_awaitable);
          buffer.commit(n);
        }
        conn.busy = true;
        lowest.expires_after(config.read_timeout);
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(config.max_header_bytes));
        parser.body_limit(config.max_body_bytes);
        beast::error_code ec;
        auto started = std::chrono::steady_clock::now();
        co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
        if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
            ec == asio::error::connection_reset || ec == asio::error::eof || ec == ssl::error::stream_truncated)
          break;
        if (ec) {
          int status = ec == bhttp::error::body_limit ? 413 : ec == bhttp::error::header_limit ? 431 : 400;
          auto r = h.error_page(status, nullptr);
          r.route = "rejected";
          log_and_count("-", r.route, status, started);
          co_await write(stream, std::move(r), 11, false);
          break;
        }
        auto& msg = parser.get();
        Request req = complete(to_request(msg, facts.peer_ip), facts, listener);
        started = std::chrono::steady_clock::now();
        // Behind a trusted proxy one connection carries many clients: each
        // forwarded client is capped per request in flight instead.
        ForwardedSlot slot(forwarded_limits, facts.trusted_proxy && req.remote_ip != facts.peer_ip ? req.remote_ip : "");
        Response resp;
        if (slot.refused()) {
          log_refusal(listener, req.remote_ip, Admission::PerAddressFull);
          resp = h.error_page(503, &req);
          resp.set_header("Retry-After", "2");
          resp.route = "refused";
        } else {
          resp = co_await dispatch(h, req);
        }
        if (resp.min_duration.count() > 0) {
          asio::steady_timer pad(stream.get_executor());
          pad.expires_at(started + resp.min_duration);
          co_await pad.async_wait(asio::redirect_error(use_awaitable, ec));
        }
        bool keep_alive = msg.keep_alive() && !stopping && !slot.refused();
        log_and_count(req.method, resp.route, resp.status, started);
        co_await write(stream, std::move(resp), msg.version(), keep_alive, msg.method() == bhttp::verb::head);
        conn.busy = false;
        if (!keep_alive) break;
      }
    }
  }

  // A forwarded client's request counted while it runs (no address: not counted).
  struct ForwardedSlot {
    ForwardedSlot(ConnectionLimits& l, std::string a) : limits(l), address(std::move(a)) {
      if (!address.empty()) admitted = limits.admit(address) == Admission::Admitted;
    }
    ~ForwardedSlot() {
      if (!address.empty() && admitted) limits.release(address);
    }
    bool refused() const { return !address.empty() && !admitted; }
    ConnectionLimits& limits;
    std::string address;
    bool admitted = false;
  };

  awaitable<void> serve(std::shared_ptr<Connection> conn, ConnectionFacts facts, Listener& listener) {
    const auto& ip = facts.peer_ip;
    try {
      if (conn->secure) {
        auto& stream = *conn->secure;
        beast::get_lowest_layer(stream).expires_after(config.read_timeout);
        co_await stream.async_handshake(ssl::stream_base::server, use_awaitable);
        // Judged once per connection, whatever the number of requests on it.
        if (listener.config.asks_client_certificate())
          if (auto presented = presented_certificate(stream.native_handle()))
            if (auto judge = listener.certificate_check()) facts.handshake_certificate = judge->judge(*presented);
        co_await session(stream, *conn, facts, listener);
        // close_notify, without waiting long for the client's.
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(1));
        beast::error_code ec;
        co_await stream.async_shutdown(asio::redirect_error(use_awaitable, ec));
      } else {
        co_await session(conn->plain, *conn, facts, listener);
      }
    } catch (const boost::system::system_error& e) {
      // I/O errors end this connection only; they are routine (client gone,
      // timeout, a handshake with TLS 1.1 or a cipher we do not offer).
      spdlog::debug("connection {} closed: {}", ip, e.code().message());
    } catch (const std::exception& e) {
      spdlog::error("connection {} failed: {}", ip, e.what());
    }
    beast::error_code ignored;
    auto& socket = conn->lowest().socket();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    {
      std::lock_guard lock(conn_mutex);
      connections.erase(conn);
    }
    listener.limits.release(ip);
  }

  void log_and_count(const std::string& method, const std::string& route, int status,
                     std::chrono::steady_clock::time_point started) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.observe_request(method, route, status, secs);
    // The method is logged as counted: a random method is "OTHER" in the log too.
    spdlog::info("{} {} {} {:.1f}ms", Metrics::method_label(method), route, status, secs * 1000);
  }

  void log_refusal(const Listener& listener, const std::string& ip, Admission why) {
    const char* reason = why == Admission::PerAddressFull ? "per_address" : "total";
    metrics.count_refused_connection(reason);
    if (auto skipped = refused_log.allow(ip))
      spdlog::warn("connection from {} to the {} listener refused: {} ({} more refused from it since the last line)", ip,
                   listener.name,
                   why == Admission::PerAddressFull ? "too many open connections from this address"
                                                    : "the listener's total cap (server.max_connections) is reached",
                   *skipped);
  }

  awaitable<void> accept_loop(Listener& listener) {
    asio::steady_timer pause(ioc);
    for (;;) {
      beast::error_code ec;
      auto socket =
          co_await listener.acceptor.async_accept(asio::make_strand(ioc), asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        metrics.count_refused_connection("accept_error");
        if (auto skipped = accept_log.allow(ec.message()))
          spdlog::warn("accept failed on the {} listener: {} ({} more since the last line)", listener.name,
                       ec.message(), *skipped);
        if (is_resource_exhaustion(ec)) {
          pause.expires_after(kAcceptPause);
          co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
        }
        continue;
      }
      std::string ip = socket.remote_endpoint(ec).address().to_string();
      if (ec) continue;  // the peer left already
      ConnectionFacts facts;
      facts.peer_ip = ip;
      facts.trusted_proxy = trusted.contains(ip);
      // Refused before anything is allocated for it: closing is all it costs.
      // A trusted proxy has no per-address cap: its clients are capped per request.
      if (auto why = listener.limits.admit(ip, !facts.trusted_proxy); why != Admission::Admitted) {
        socket.close(ec);
        log_refusal(listener, ip, why);
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      auto conn = std::make_shared<Connection>(std::move(socket));
      if (listener.config.is_tls()) {
        conn->context = listener.tls_context();
        conn->secure.emplace(std::move(conn->plain), *conn->context);
        facts.tls = true;
      }
      {
        std::lock_guard lock(conn_mutex);
        connections.insert(conn);
      }
      auto ex = conn->lowest().get_executor();
      asio::co_spawn(ex, serve(conn, std::move(facts), listener), asio::detached);
    }
  }

  void begin_stop() {
    if (stopping.exchange(true)) return;
    spdlog::info("stopping: no new connections, finishing requests in flight");
    beast::error_code ec;
    for (auto& l : listeners) l->acceptor.close(ec);
    if (metrics_listener) metrics_listener->acceptor.close(ec);
    signals.cancel(ec);
    hangup.cancel(ec);
    {
      std::lock_guard lock(conn_mutex);
      for (auto& c : connections) {
        // Idle keep-alive connections are closed now; busy ones close after
        // their response (serve() checks `stopping`).
        asio::post(c->lowest().get_executor(), [c] {
          if (!c->busy) c->lowest().socket().cancel();
        });
      }
    }
    asio::co_spawn(ioc, drain(), asio::detached);
  }

  awaitable<void> drain() {
    auto deadline = std::chrono::steady_clock::now() + config.shutdown_grace;
    asio::steady_timer timer(ioc);
    while (open_connections() > 0 && std::chrono::steady_clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(use_awaitable);
    }
    if (open_connections() > 0) spdlog::warn("grace period over: closing {} connections", open_connections());
    ioc.stop();
  }

  // SIGHUP: certificates, keys, CA bundles and CRLs read again for new
  // handshakes; open connections keep the context they started with. A file
  // that does not load keeps that listener's previous state, and says why.
  void reload() {
    for (auto& l : listeners) {
      if (!l->config.is_tls() && !l->config.asks_client_certificate()) continue;
      if (auto r = load_listener_files(*l); !r)
        spdlog::error("SIGHUP: kept the previous certificates of the {} listener ({}): {}", l->name,
                      l->config.address, r.error().detail);
      else
        spdlog::info("SIGHUP: certificates of the {} listener ({}) reloaded", l->name, l->config.address);
    }
  }

  // Between SIGHUPs: a client_ca or CRL file whose modification time or
  // size changed (a CRL fetch job renamed a new one in) gives a new judge;
  // one that does not load keeps the current one, and says why.
  void refresh_certificate_checks() {
    for (auto& l : listeners) {
      auto current = l->certificate_check();
      if (!current) continue;
      auto fresh = CertificateCheck::refreshed(current);
      if (!fresh) {
        spdlog::error("client_ca/crl of the {} listener changed but do not load, the previous ones stay: {}", l->name,
                      fresh.error().detail);
      } else if (*fresh != current) {
        l->install(nullptr, *fresh);
        spdlog::info("client_ca/crl of the {} listener re-read (a file changed)", l->name);
      }
    }
  }

  void wait_for_hangup() {
    hangup.async_wait([this](const boost::system::error_code& ec, int) {
      if (ec || stopping) return;
      reload();
      wait_for_hangup();
    });
  }

  std::uint16_t bind(Listener& l, const std::string& listen) {
    std::string host;
    std::uint16_t port = 0;
    if (!split_listen(listen, host, port)) throw std::runtime_error("bad listen address " + listen);
    tcp::resolver resolver(ioc);
    auto results = resolver.resolve(host, std::to_string(port));
    tcp::endpoint ep = results.begin()->endpoint();
    auto& a = l.acceptor;
    a.open(ep.protocol());
    a.set_option(asio::socket_base::reuse_address(true));
    a.bind(ep);
    a.listen(asio::socket_base::max_listen_connections);
    return a.local_endpoint().port();
  }
};

Server::Server(const ServerConfig& config, RequestHandler& handler, Metrics& metrics)
    : impl_(std::make_unique<Impl>(config, handler, metrics)) {
  metrics.set_pool_source("pages", [this] { return impl_->pages.in_flight(); });
  metrics.set_pool_source("hashing", [this] { return impl_->hashing.in_flight(); });
  metrics.set_connections_source([this] {
    long open = 0;
    for (auto& l : impl_->listeners) open += l->limits.open();
    return open;
  });
  spdlog::info("pools: pages {} threads ({} jobs at most), hashing {} threads ({} jobs at most); {} connections at most",
               impl_->pages.threads(), impl_->pages.capacity(), impl_->hashing.threads(), impl_->hashing.capacity(),
               impl_->total_connections);
}

Server::~Server() {
  impl_->pages.join();
  impl_->hashing.join();
}

void Server::serve_metrics_with(RequestHandler& handler) {
  if (impl_->config.metrics_listen.empty()) return;
  impl_->metrics_listener = std::make_unique<Listener>(impl_->ioc, &handler, "metrics", kMetricsListenerCaps);
}

std::uint16_t Server::bind() {
  auto& i = *impl_;
  // Every file first: a bad key or certificate stops the start before any port is taken.
  for (auto& l : i.listeners)
    if (auto loaded = load_listener_files(*l); !loaded) throw std::runtime_error(loaded.error().detail);
  for (auto& l : i.listeners) {
    auto bound = i.bind(*l, l->config.address);
    std::string host;
    std::uint16_t ignored;
    split_listen(l->config.address, host, ignored);
    l->bound = host + ":" + std::to_string(bound);
  }
  auto port = i.public_listener().acceptor.local_endpoint().port();
  if (impl_->metrics_listener) {
    auto mport = impl_->bind(*impl_->metrics_listener, impl_->config.metrics_listen);
    std::string host;
    std::uint16_t ignored;
    split_listen(impl_->config.metrics_listen, host, ignored);
    spdlog::info("metrics listener bound to {}:{} (GET /metrics only)", host, mport);
  }
  return port;
}

std::vector<std::string> Server::check_listeners(const ServerConfig& config) {
  std::vector<std::string> problems;
  asio::io_context unused;
  auto configs = configured_listeners(config);
  for (std::size_t i = 0; i < configs.size(); ++i) {
    Listener l(unused, nullptr, listener_name(config, i), {1, 1}, configs[i]);
    if (auto loaded = load_listener_files(l); !loaded) problems.push_back(loaded.error().detail);
  }
  return problems;
}

std::vector<Server::BoundListener> Server::bound_listeners() const {
  std::vector<BoundListener> out;
  for (auto& l : impl_->listeners) out.push_back({l->bound, l->config.is_tls(), l->config.client_certificates});
  return out;
}

std::uint16_t Server::metrics_port() const {
  auto& l = impl_->metrics_listener;
  if (!l || !l->acceptor.is_open()) return 0;
  return l->acceptor.local_endpoint().port();
}

void Server::run() {
  auto& i = *impl_;
  i.signals.async_wait([&i](const boost::system::error_code& ec, int) {
    if (!ec) i.begin_stop();
  });
  for (auto& l : i.listeners) asio::co_spawn(i.ioc, i.accept_loop(*l), asio::detached);
  i.wait_for_hangup();
  if (std::any_of(i.listeners.begin(), i.listeners.end(), [](auto& l) { return l->config.asks_client_certificate(); }))
    every(kCertificateCheckRefresh, [&i] { i.refresh_certificate_checks(); });
  if (i.metrics_listener) asio::co_spawn(i.ioc, i.accept_loop(*i.metrics_listener), asio::detached);
  std::vector<std::thread> threads;
  for (int n = 1; n < i.io_threads; ++n) threads.emplace_back([&i] { i.ioc.run(); });
  i.ioc.run();
  for (auto& t : threads) t.join();
  i.pages.join();
  i.hashing.join();
}

void Server::stop() {
  asio::post(impl_->ioc, [this] { impl_->begin_stop(); });
}

void Server::every(std::chrono::seconds period, std::function<void()> job) {
  auto& i = *impl_;
  asio::co_spawn(
      i.ioc,
      [&i, period, job = std::move(job)]() -> awaitable<void> {
        asio::steady_timer timer(i.ioc);
        while (!i.stopping) {
          timer.expires_after(period);
          beast::error_code ec;
          co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
          if (i.stopping) co_return;
          // Housekeeping is database work: the pages pool, but never refused.
          asio::post(i.pages.executor(), job);
        }
      },
      asio::detached);
}

}  // namespace portier::http
