#pragma once
// The HTTP/1.1 listener: accepts connections, reads requests within the
// configured limits, runs the handler (blocking handlers on the worker pool)
// and writes responses. Knows nothing of pages, accounts or sessions.
#include <cstdint>
#include <functional>
#include <memory>

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

  // Binds the listening socket; returns the bound port (useful with port 0).
  // Throws std::runtime_error when the address cannot be bound.
  std::uint16_t bind();
  // Serves until SIGTERM/SIGINT or stop(): then stops accepting, lets
  // in-flight requests finish within shutdown_grace, and returns.
  void run();
  void stop();
  // Runs `job` every `period` on the worker pool until stop (housekeeping).
  void every(std::chrono::seconds period, std::function<void()> job);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portier::http
