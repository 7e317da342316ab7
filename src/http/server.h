#pragma once
// The HTTP/1.1 listeners ([[server.listeners]], plain or TLS, or
// server.listen alone): accepts connections, resolves trusted proxies and
// client certificates into the Request, reads requests within the
// configured limits, runs the handler on the lane it declares (Inline on the
// I/O thread, Pages and Hashing on two separate bounded pools: a full pool
// answers 503 + Retry-After at once) and writes responses. Caps connections
// per address and in all, backs off when out of file descriptors, and logs
// refusals at a bounded rate. Knows nothing of pages, accounts or sessions.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/metrics.h"
#include "config/config.h"
#include "http/request.h"

namespace portier::http {

class Server {
public:
  Server(const ServerConfig& config, RequestHandler& handler, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // A second listener on server.metrics_listen served by `handler` alone
  // (the operators' /metrics). Call before bind(); ignored when
  // server.metrics_listen is empty.
  void serve_metrics_with(RequestHandler& handler);
  // Loads every TLS listener's certificate, key, CA bundle and CRLs, then
  // binds the listening sockets; returns the first listener's port (useful
  // with port 0). Throws std::runtime_error, with a message for the
  // operator, when a file does not load or an address cannot be bound.
  std::uint16_t bind();
  struct BoundListener {
    std::string address;  // host:port as bound
    bool tls = false;
    std::string client_certificates;  // none, optional, required
  };
  // What bind() would refuse in the listeners' files, one message each
  // (naming the listener and the file); empty when every file loads.
  static std::vector<std::string> check_listeners(const ServerConfig& config);
  // Every listener (not the metrics one), in configuration order; after bind().
  std::vector<BoundListener> bound_listeners() const;
  // The metrics listener's bound port; 0 when there is none.
  std::uint16_t metrics_port() const;
  // Serves until SIGTERM/SIGINT or stop(): then stops accepting, lets
  // in-flight requests finish within shutdown_grace, and returns. SIGHUP
  // reloads the listeners' certificates, keys and CRLs for new handshakes.
  void run();
  void stop();
  // Runs `job` every `period` on the worker pool until stop (housekeeping).
  void every(std::chrono::seconds period, std::function<void()> job);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portier::http
