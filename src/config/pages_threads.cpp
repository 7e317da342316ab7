#include "config/pages_threads.h"

#include <algorithm>
#include <thread>

namespace portier {

int pages_threads(const ServerConfig& server) {
  if (server.worker_threads > 0) return server.worker_threads;
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(8, 2 * cores);
}

}  // namespace portier
