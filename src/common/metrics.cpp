#include "common/metrics.h"

#include <sstream>

namespace portier {

void Metrics::observe_request(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{method, route, status}];
  auto& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::count_sign_in(const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++sign_ins_[outcome];
}

void Metrics::count_outbox(const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++outbox_[outcome];
}

std::string Metrics::render() const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP portier_http_requests_total HTTP requests by method, route and status.\n"
         "# TYPE portier_http_requests_total counter\n";
  for (auto& [key, n] : requests_)
    out << "portier_http_requests_total{method=\"" << std::get<0>(key) << "\",route=\"" << std::get<1>(key)
        << "\",status=\"" << std::get<2>(key) << "\"} " << n << "\n";
  out << "# HELP portier_http_request_duration_seconds Time from a complete request to its response.\n"
         "# TYPE portier_http_request_duration_seconds histogram\n";
  for (auto& [route, h] : latency_) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
      out << "portier_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << kBuckets[i] << "\"} "
          << h.buckets[i] << "\n";
    out << "portier_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count << "\n"
        << "portier_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n"
        << "portier_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
  }
  out << "# HELP portier_sign_ins_total Password sign-in attempts by outcome.\n"
         "# TYPE portier_sign_ins_total counter\n";
  for (auto& [outcome, n] : sign_ins_) out << "portier_sign_ins_total{outcome=\"" << outcome << "\"} " << n << "\n";
  out << "# HELP portier_outbox_messages_total Outbox send attempts by outcome.\n"
         "# TYPE portier_outbox_messages_total counter\n";
  for (auto& [outcome, n] : outbox_) out << "portier_outbox_messages_total{outcome=\"" << outcome << "\"} " << n << "\n";
  out << "# HELP portier_worker_queue_depth Blocking jobs (hashing, database) queued or running.\n"
         "# TYPE portier_worker_queue_depth gauge\n"
      << "portier_worker_queue_depth " << (queue_depth_ ? queue_depth_() : 0) << "\n";
  out << "# HELP portier_open_connections Open client connections.\n"
         "# TYPE portier_open_connections gauge\n"
      << "portier_open_connections " << (connections_ ? connections_() : 0) << "\n";
  return out.str();
}

}  // namespace portier
