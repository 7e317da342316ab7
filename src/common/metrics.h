#pragma once
// Process-wide counters exported at /metrics in Prometheus text format.
// Cheap enough for every request: one short mutex hold per observation.
#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace portier {

// Label values are bounded by construction: methods outside the standard set
// count as one OTHER series, routes are route patterns (never raw paths),
// pools and reasons are fixed words chosen by the server. A client sending
// random methods or paths cannot grow the page.
class Metrics {
public:
  // The method label a request counts under: GET, POST... or OTHER.
  static std::string method_label(std::string_view method);
  void observe_request(const std::string& method, const std::string& route, int status, double seconds);
  // outcome: success, failure, disabled, password_change_required, busy, error
  void count_sign_in(const std::string& outcome);
  // outcome: sent, deferred, failed (outbox messages)
  void count_outbox(const std::string& outcome);
  // OpenID Connect logout. kind: rp_initiated, confirmed, refused (GET|POST
  // /logout); outcome: sent, deferred, failed (back-channel deliveries).
  void count_oidc_logout(const std::string& kind);
  void count_oidc_backchannel(const std::string& outcome);
  // OIDC token endpoint: grant is authorization_code, refresh_token,
  // client_credentials or other; outcome is issued or a fixed refusal word
  // (invalid_client, invalid_grant, code_reused, refresh_reused...).
  void count_oidc_token(const std::string& grant, const std::string& outcome);
  // pool: pages, hashing (fixed names from http::Server).
  void set_pool_source(const std::string& pool, std::function<long()> source);
  void count_pool_full(const std::string& pool);
  // reason: per_address, total (connection caps), accept_error
  void count_refused_connection(const std::string& reason);
  void set_connections_source(std::function<long()> source) { connections_ = std::move(source); }
  // The database's group commit (storage/sql/group_commit.h): writes made
  // durable and the commits that carried them; their ratio is the batch size.
  struct Batching {
    std::uint64_t writes = 0;
    std::uint64_t commits = 0;
  };
  void set_batching_source(std::function<Batching()> source) { batching_ = std::move(source); }
  std::string render() const;

  static constexpr std::array<double, 12> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                   0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;  // by route
  std::map<std::string, std::uint64_t> sign_ins_;
  std::map<std::string, std::uint64_t> outbox_;
  std::map<std::string, std::uint64_t> oidc_logouts_;
  std::map<std::string, std::uint64_t> oidc_backchannel_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> oidc_tokens_;
  std::map<std::string, std::function<long()>> pools_;
  std::map<std::string, std::uint64_t> pool_full_;
  std::map<std::string, std::uint64_t> refused_connections_;
  std::function<long()> connections_;
  std::function<Batching()> batching_;
};

}  // namespace portier
