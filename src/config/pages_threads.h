#pragma once
// How many threads the pages pool runs (http::Server) and, from that, how
// many database connections a node keeps by default (storage.pool_size).
#include "config/config.h"

namespace portier {

// server.worker_threads, or twice the cores and at least 8. The pool's jobs
// mostly wait on the database (a durable commit's fsync, a PostgreSQL round
// trip) rather than compute, and the requests waiting at once are what the
// group commit batches into one commit (storage/sql/group_commit.h): with
// one thread per core, a 2-core machine issued client_credentials grants
// about half as fast (docs/performance.md).
int pages_threads(const ServerConfig& server);

}  // namespace portier
