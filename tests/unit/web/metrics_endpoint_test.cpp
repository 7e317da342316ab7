#include "web/metrics_endpoint.h"

#include <gtest/gtest.h>

namespace portier::web {
namespace {

const std::string kToken(40, 't');

struct MetricsEndpointTest : ::testing::Test {
  SecretHasher secrets{std::string(32, 'k')};
  Metrics metrics;
  ServerConfig config;
  http::Request get(std::string path, std::string authorization = "") {
    http::Request r;
    r.method = "GET";
    r.path = std::move(path);
    if (!authorization.empty()) r.headers.emplace_back("authorization", std::move(authorization));
    return r;
  }
};

TEST_F(MetricsEndpointTest, BearerMustMatchExactly) {
  EXPECT_TRUE(bearer_matches(secrets, kToken, "Bearer " + kToken));
  EXPECT_TRUE(bearer_matches(secrets, kToken, "bearer " + kToken)) << "the scheme is case-insensitive";
  EXPECT_FALSE(bearer_matches(secrets, kToken, "Bearer " + kToken.substr(1)));
  EXPECT_FALSE(bearer_matches(secrets, kToken, "Bearer " + kToken + "x"));
  EXPECT_FALSE(bearer_matches(secrets, kToken, "Basic " + kToken));
  EXPECT_FALSE(bearer_matches(secrets, kToken, ""));
  EXPECT_FALSE(bearer_matches(secrets, "", "Bearer ")) << "no token configured never matches";
}

TEST_F(MetricsEndpointTest, TokenRequiredWhenSet) {
  config.metrics_token = kToken;
  MetricsEndpoint endpoint(config, secrets, metrics);
  auto refused = endpoint.handle(get("/metrics"));
  EXPECT_EQ(refused.status, 401);
  EXPECT_TRUE(refused.has_header("WWW-Authenticate"));
  EXPECT_EQ(endpoint.handle(get("/metrics", "Bearer wrong")).status, 401);
  auto ok = endpoint.handle(get("/metrics", "Bearer " + kToken));
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.body.find("portier_open_connections"), std::string::npos);
}

TEST_F(MetricsEndpointTest, TheMetricsListenerServesNothingElse) {
  MetricsEndpoint endpoint(config, secrets, metrics);
  EXPECT_EQ(endpoint.handle(get("/metrics")).status, 200);
  EXPECT_EQ(endpoint.handle(get("/")).status, 404);
  EXPECT_EQ(endpoint.handle(get("/connexion")).status, 404);
  auto post = get("/metrics");
  post.method = "POST";
  EXPECT_EQ(endpoint.handle(post).status, 405);
}

}  // namespace
}  // namespace portier::web
