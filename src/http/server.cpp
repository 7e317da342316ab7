#include "http/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace portier::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

namespace {

// One open client connection. `busy` is only touched on the connection's strand.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool busy = false;
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

bhttp::response<bhttp::string_body> to_beast(Response&& r, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(r.status), version};
  // insert, not set: a response may carry several Set-Cookie fields.
  for (auto& [k, v] : r.headers) out.insert(k, v);
  out.body() = std::move(r.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

}  // namespace

struct Server::Impl {
  Impl(const ServerConfig& c, RequestHandler& h, Metrics& m)
      : config(c),
        handler(h),
        metrics(m),
        io_threads(c.io_threads > 0 ? c.io_threads : std::max(1u, std::thread::hardware_concurrency())),
        ioc(io_threads),
        workers(c.worker_threads > 0 ? c.worker_threads : std::max(1u, std::thread::hardware_concurrency())),
        acceptor(ioc),
        signals(ioc, SIGINT, SIGTERM) {}

  const ServerConfig& config;
  RequestHandler& handler;
  Metrics& metrics;
  int io_threads;
  asio::io_context ioc;
  asio::thread_pool workers;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::atomic<bool> stopping{false};
  std::atomic<long> pending{0};  // blocking jobs queued or running on `workers`

  std::mutex conn_mutex;
  std::unordered_set<std::shared_ptr<Connection>> connections;
  std::unordered_map<std::string, int> per_ip;

  bool admit(const std::shared_ptr<Connection>& c, const std::string& ip) {
    std::lock_guard lock(conn_mutex);
    if (per_ip[ip] >= config.max_connections_per_ip) return false;
    ++per_ip[ip];
    connections.insert(c);
    return true;
  }
  void release(const std::shared_ptr<Connection>& c, const std::string& ip) {
    std::lock_guard lock(conn_mutex);
    connections.erase(c);
    if (--per_ip[ip] <= 0) per_ip.erase(ip);
  }
  long open_connections() {
    std::lock_guard lock(conn_mutex);
    return static_cast<long>(connections.size());
  }

  awaitable<Response> dispatch(const Request& req) {
    if (handler.lane(req) == Lane::Inline) co_return handler.handle(req);
    // Bounded queue: past the limit, say so at once rather than let a sign-in
    // storm pile up minutes of hashing behind every request.
    if (pending.fetch_add(1) >= config.worker_queue_limit) {
      pending.fetch_sub(1);
      auto r = handler.error_page(503, &req);
      r.set_header("Retry-After", "2");
      co_return r;
    }
    struct Done {
      std::atomic<long>& n;
      ~Done() { n.fetch_sub(1); }
    } done{pending};
    co_return co_await asio::co_spawn(workers, [&]() -> awaitable<Response> { co_return handler.handle(req); },
                                      use_awaitable);
  }

  awaitable<void> write(Connection& conn, Response&& r, unsigned version, bool keep_alive) {
    auto out = to_beast(std::move(r), version, keep_alive);
    conn.stream.expires_after(config.write_timeout);
    co_await bhttp::async_write(conn.stream, out, use_awaitable);
  }

  awaitable<void> serve(std::shared_ptr<Connection> conn, std::string ip) {
    beast::flat_buffer buffer;
    try {
      for (;;) {
        if (stopping) break;
        // Wait for the first byte of the next request under the idle timeout;
        // from then on the whole request must arrive within read_timeout, so
        // a client trickling bytes (slowloris) is cut off.
        if (buffer.size() == 0) {
          conn->stream.expires_after(config.idle_timeout);
          auto n = co_await conn->stream.async_read_some(buffer.prepare(4096), use_awaitable);
          buffer.commit(n);
        }
        conn->busy = true;
        conn->stream.expires_after(config.read_timeout);
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(config.max_header_bytes));
        parser.body_limit(config.max_body_bytes);
        beast::error_code ec;
        auto started = std::chrono::steady_clock::now();
        co_await bhttp::async_read(conn->stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
        if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
            ec == asio::error::connection_reset || ec == asio::error::eof)
          break;
        if (ec) {
          int status = ec == bhttp::error::body_limit ? 413 : ec == bhttp::error::header_limit ? 431 : 400;
          auto r = handler.error_page(status, nullptr);
          r.route = "rejected";
          log_and_count("-", r.route, status, started);
          co_await write(*conn, std::move(r), 11, false);
          break;
        }
        auto& msg = parser.get();
        Request req = to_request(msg, ip);
        started = std::chrono::steady_clock::now();
        Response resp = co_await dispatch(req);
        if (resp.min_duration.count() > 0) {
          asio::steady_timer pad(conn->stream.get_executor());
          pad.expires_at(started + resp.min_duration);
          co_await pad.async_wait(asio::redirect_error(use_awaitable, ec));
        }
        bool keep_alive = msg.keep_alive() && !stopping;
        log_and_count(req.method, resp.route, resp.status, started);
        co_await write(*conn, std::move(resp), msg.version(), keep_alive);
        conn->busy = false;
        if (!keep_alive) break;
      }
    } catch (const boost::system::system_error& e) {
      // I/O errors end this connection only; they are routine (client gone, timeout).
      spdlog::debug("connection {} closed: {}", ip, e.code().message());
    } catch (const std::exception& e) {
      spdlog::error("connection {} failed: {}", ip, e.what());
    }
    beast::error_code ignored;
    conn->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    conn->stream.socket().close(ignored);
    release(conn, ip);
  }

  void log_and_count(const std::string& method, const std::string& route, int status,
                     std::chrono::steady_clock::time_point started) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.observe_request(method, route, status, secs);
    spdlog::info("{} {} {} {:.1f}ms", method, route, status, secs * 1000);
  }

  awaitable<void> accept_loop() {
    for (;;) {
      beast::error_code ec;
      auto socket = co_await acceptor.async_accept(asio::make_strand(ioc), asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        spdlog::warn("accept failed: {}", ec.message());
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      std::string ip = socket.remote_endpoint(ec).address().to_string();
      auto conn = std::make_shared<Connection>(std::move(socket));
      if (!admit(conn, ip)) {
        spdlog::warn("connection from {} refused: too many open connections from this address", ip);
        conn->stream.socket().close(ec);
        continue;
      }
      auto ex = conn->stream.get_executor();
      asio::co_spawn(ex, serve(conn, ip), asio::detached);
    }
  }

  void begin_stop() {
    if (stopping.exchange(true)) return;
    spdlog::info("stopping: no new connections, finishing requests in flight");
    beast::error_code ec;
    acceptor.close(ec);
    signals.cancel(ec);
    {
      std::lock_guard lock(conn_mutex);
      for (auto& c : connections) {
        // Idle keep-alive connections are closed now; busy ones close after
        // their response (serve() checks `stopping`).
        asio::post(c->stream.get_executor(), [c] {
          if (!c->busy) c->stream.socket().cancel();
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
};

Server::Server(const ServerConfig& config, RequestHandler& handler, Metrics& metrics)
    : impl_(std::make_unique<Impl>(config, handler, metrics)) {
  metrics.set_queue_depth_source([this] { return impl_->pending.load(); });
  metrics.set_connections_source([this] { return impl_->open_connections(); });
}

Server::~Server() {
  impl_->workers.join();
}

std::uint16_t Server::bind() {
  std::string host;
  std::uint16_t port = 0;
  if (!split_listen(impl_->config.listen, host, port)) throw std::runtime_error("bad listen address");
  tcp::resolver resolver(impl_->ioc);
  auto results = resolver.resolve(host, std::to_string(port));
  tcp::endpoint ep = results.begin()->endpoint();
  auto& a = impl_->acceptor;
  a.open(ep.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(ep);
  a.listen(asio::socket_base::max_listen_connections);
  return a.local_endpoint().port();
}

void Server::run() {
  auto& i = *impl_;
  i.signals.async_wait([&i](const boost::system::error_code& ec, int) {
    if (!ec) i.begin_stop();
  });
  asio::co_spawn(i.ioc, i.accept_loop(), asio::detached);
  std::vector<std::thread> threads;
  for (int n = 1; n < i.io_threads; ++n) threads.emplace_back([&i] { i.ioc.run(); });
  i.ioc.run();
  for (auto& t : threads) t.join();
  i.workers.join();
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
          asio::post(i.workers, job);
        }
      },
      asio::detached);
}

}  // namespace portier::http
