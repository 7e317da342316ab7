#include "common/metrics.h"

#include <gtest/gtest.h>

namespace portier {
namespace {

TEST(MetricsTest, UnknownMethodsCountAsOneOtherSeries) {
  Metrics metrics;
  metrics.observe_request("GET", "/", 200, 0.001);
  auto before = metrics.render().size();
  for (int i = 0; i < 25000; ++i) metrics.observe_request("X" + std::to_string(i), "unmatched", 404, 0.001);
  auto text = metrics.render();
  EXPECT_NE(text.find("portier_http_requests_total{method=\"OTHER\",route=\"unmatched\",status=\"404\"} 25000"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("X1"), std::string::npos);
  EXPECT_LT(text.size(), before + 2000) << "25,000 random methods add one series, not 25,000";
}

TEST(MetricsTest, StandardMethodsKeepTheirName) {
  for (auto m : {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"})
    EXPECT_EQ(Metrics::method_label(m), m);
  EXPECT_EQ(Metrics::method_label("get"), "OTHER") << "methods are case-sensitive";
  EXPECT_EQ(Metrics::method_label("PROPFIND"), "OTHER");
  EXPECT_EQ(Metrics::method_label("-"), "-");
}

TEST(MetricsTest, PoolsAndRefusedConnectionsAreExported) {
  Metrics metrics;
  metrics.set_pool_source("hashing", [] { return 3L; });
  metrics.count_pool_full("hashing");
  metrics.count_refused_connection("total");
  auto text = metrics.render();
  EXPECT_NE(text.find("portier_worker_queue_depth{pool=\"hashing\"} 3"), std::string::npos);
  EXPECT_NE(text.find("portier_pool_full_total{pool=\"hashing\"} 1"), std::string::npos);
  EXPECT_NE(text.find("portier_refused_connections_total{reason=\"total\"} 1"), std::string::npos);
}

}  // namespace
}  // namespace portier
