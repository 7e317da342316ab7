#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"

namespace portier {
namespace {

bool mentions(const std::vector<std::string>& problems, const std::string& key) {
  for (auto& p : problems)
    if (p.find(key) != std::string::npos) return true;
  return false;
}

TEST(ServerLimitsConfigTest, PoolsCapsAndMetricsKeysAreRead) {
  auto path = std::filesystem::temp_directory_path() / ("portier-server-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "[server]\nhashing_threads = 2\nhashing_queue = 5\nmax_connections = 300\n"
                         "refused_log_interval = 30\nmetrics_listen = \"127.0.0.1:9464\"\n"
                         "metrics_token = \"0123456789abcdef0123456789abcdef\"\n"
                         "[lockout]\nsuccesses_per_account = 12\nsuccesses_per_client = 400\nsuccess_window = 1800\n";
  auto loaded = load_config(path.string());
  std::filesystem::remove(path);
  EXPECT_TRUE(loaded.problems.empty()) << loaded.problems.front();
  const auto& s = loaded.config.server;
  EXPECT_EQ(s.hashing_threads, 2);
  EXPECT_EQ(s.hashing_queue, 5);
  EXPECT_EQ(s.max_connections, 300);
  EXPECT_EQ(s.refused_log_interval, std::chrono::seconds(30));
  EXPECT_EQ(s.metrics_listen, "127.0.0.1:9464");
  EXPECT_EQ(s.metrics_token.size(), 32u);
  EXPECT_EQ(loaded.config.lockout.successes_per_account, 12);
  EXPECT_EQ(loaded.config.lockout.successes_per_client, 400);
  EXPECT_EQ(loaded.config.lockout.success_window, std::chrono::seconds(1800));
}

TEST(ServerLimitsConfigTest, BadValuesAreListed) {
  Config c;
  c.server.hashing_threads = -1;
  c.server.metrics_listen = "nowhere";
  c.server.metrics_token = "short";
  c.lockout.successes_per_account = 1;
  auto p = validate(c);
  EXPECT_TRUE(mentions(p, "server.hashing_threads"));
  EXPECT_TRUE(mentions(p, "server.metrics_listen"));
  EXPECT_TRUE(mentions(p, "server.metrics_token"));
  EXPECT_TRUE(mentions(p, "lockout.successes_per_account"));
}

}  // namespace
}  // namespace portier
