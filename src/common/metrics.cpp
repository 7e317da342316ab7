#include "common/metrics.h"

#include <sstream>

namespace portier {

std::string Metrics::method_label(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",     "HEAD",    "POST",  "PUT", "DELETE",
                                                "OPTIONS", "CONNECT", "TRACE", "PATCH"};
  for (auto k : kKnown)
    if (method == k) return std::string(k);
  // "-" is the server's own mark for a request it could not parse.
  return method == "-" ? "-" : "OTHER";
}

void Metrics::observe_request(const std::string& method, const std::string& route, int status, double seconds) {
  auto label = method_label(method);
  std::lock_guard lock(mutex_);
  ++requests_[{label, route, status}];
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

void Metrics::set_pool_source(const std::string& pool, std::function<long()> source) {
  std::lock_guard lock(mutex_);
  pools_[pool] = std::move(source);
}

void Metrics::count_pool_full(const std::string& pool) {
  std::lock_guard lock(mutex_);
  ++pool_full_[pool];
}

void Metrics::count_refused_connection(const std::string& reason) {
  std::lock_guard lock(mutex_);
  ++refused_connections_[reason];
}

void Metrics::count_outbox(const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++outbox_[outcome];
}

void Metrics::count_oidc_logout(const std::string& kind) {
  std::lock_guard lock(mutex_);
  ++oidc_logouts_[kind];
}

void Metrics::count_oidc_backchannel(const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++oidc_backchannel_[outcome];
}

void Metrics::count_oidc_token(const std::string& grant, const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++oidc_tokens_[{grant, outcome}];
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
  out << "# HELP portier_oidc_logouts_total RP-initiated logout requests by kind.\n"
         "# TYPE portier_oidc_logouts_total counter\n";
  for (auto& [kind, n] : oidc_logouts_) out << "portier_oidc_logouts_total{kind=\"" << kind << "\"} " << n << "\n";
  out << "# HELP portier_oidc_backchannel_logouts_total Back-channel logout delivery attempts by outcome.\n"
         "# TYPE portier_oidc_backchannel_logouts_total counter\n";
  for (auto& [outcome, n] : oidc_backchannel_)
    out << "portier_oidc_backchannel_logouts_total{outcome=\"" << outcome << "\"} " << n << "\n";
  out << "# HELP portier_oidc_token_requests_total OIDC token endpoint requests by grant type and outcome.\n"
         "# TYPE portier_oidc_token_requests_total counter\n";
  for (auto& [key, n] : oidc_tokens_)
    out << "portier_oidc_token_requests_total{grant=\"" << key.first << "\",outcome=\"" << key.second << "\"} " << n
        << "\n";
  out << "# HELP portier_worker_queue_depth Blocking jobs queued or running, by pool (pages, hashing).\n"
         "# TYPE portier_worker_queue_depth gauge\n";
  for (auto& [pool, source] : pools_)
    out << "portier_worker_queue_depth{pool=\"" << pool << "\"} " << (source ? source() : 0) << "\n";
  out << "# HELP portier_pool_full_total Requests answered 503 because their pool was full.\n"
         "# TYPE portier_pool_full_total counter\n";
  for (auto& [pool, n] : pool_full_) out << "portier_pool_full_total{pool=\"" << pool << "\"} " << n << "\n";
  out << "# HELP portier_refused_connections_total Connections closed at accept, by reason.\n"
         "# TYPE portier_refused_connections_total counter\n";
  for (auto& [reason, n] : refused_connections_)
    out << "portier_refused_connections_total{reason=\"" << reason << "\"} " << n << "\n";
  out << "# HELP portier_open_connections Open client connections.\n"
         "# TYPE portier_open_connections gauge\n"
      << "portier_open_connections " << (connections_ ? connections_() : 0) << "\n";
  if (batching_) {
    auto b = batching_();
    out << "# HELP portier_db_batched_writes_total Writes made durable by the group commit.\n"
           "# TYPE portier_db_batched_writes_total counter\n"
        << "portier_db_batched_writes_total " << b.writes << "\n"
        << "# HELP portier_db_batched_commits_total Commits of the group commit (writes / commits = batch size).\n"
           "# TYPE portier_db_batched_commits_total counter\n"
        << "portier_db_batched_commits_total " << b.commits << "\n";
  }
  return out.str();
}

}  // namespace portier
