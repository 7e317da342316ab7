#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"

namespace portier {
namespace {

std::string temp_file(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("portier-listeners-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(path) << text;
  return path.string();
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  for (auto& p : problems)
    if (p.find(text) != std::string::npos) return true;
  return false;
}

TEST(ListenerConfigTest, ReadsListenerTablesAndTrustedProxies) {
  auto cert = temp_file("cert.pem", "x");
  auto key = temp_file("key.pem", "x");
  auto ca = temp_file("ca.pem", "x");
  auto crl = temp_file("a.crl", "x");
  auto path = temp_file("ok.toml", "[server]\ntrusted_proxies = [\"127.0.0.1\", \"fd00::/64\"]\n"
                                   "[[server.listeners]]\naddress = \"127.0.0.1:0\"\n"
                                   "[[server.listeners]]\naddress = \"127.0.0.1:8443\"\ntls_certificate = \"" + cert +
                                   "\"\ntls_key = \"" + key + "\"\nclient_certificates = \"optional\"\nclient_ca = \"" +
                                   ca + "\"\ncrl = [\"" + crl + "\"]\n");
  auto loaded = load_config(path);
  EXPECT_TRUE(loaded.problems.empty()) << loaded.problems.front();
  const auto& s = loaded.config.server;
  ASSERT_EQ(s.listeners.size(), 2u);
  EXPECT_FALSE(s.listeners[0].is_tls());
  EXPECT_EQ(s.listeners[0].client_certificates, "none");
  EXPECT_TRUE(s.listeners[1].is_tls());
  EXPECT_TRUE(s.listeners[1].asks_client_certificate());
  EXPECT_EQ(s.listeners[1].crl, std::vector<std::string>{crl});
  EXPECT_EQ(s.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "fd00::/64"}));
}

TEST(ListenerConfigTest, RefusesWhatCannotWork) {
  auto cert = temp_file("cert2.pem", "x");
  auto path = temp_file("bad.toml",
                        "[server]\ntrusted_proxies = [\"10.0.0.1/8\", \"proxy.example.org\"]\n"
                        "[[server.listeners]]\naddress = \"nowhere\"\n"
                        "[[server.listeners]]\naddress = \"127.0.0.1:1\"\ntls_certificate = \"" + cert + "\"\n"
                        "[[server.listeners]]\naddress = \"127.0.0.1:2\"\nclient_certificates = \"optional\"\n"
                        "[[server.listeners]]\naddress = \"127.0.0.1:3\"\nclient_certificates = \"sometimes\"\n"
                        "[[server.listeners]]\naddress = \"127.0.0.1:4\"\nclient_certificates = \"required\"\nclient_ca = \"" + cert + "\"\n"
                        "[[server.listeners]]\naddress = \"127.0.0.1:5\"\ntls_certificate = \"/nonexistent/c.pem\"\ntls_key = \"/nonexistent/k.pem\"\n"
                        "[[server.listeners]]\naddress = \"127.0.0.1:6\"\nadress = \"typo\"\n");
  auto p = load_config(path).problems;
  EXPECT_TRUE(mentions(p, "server.trusted_proxies: \"10.0.0.1/8\""));
  EXPECT_TRUE(mentions(p, "server.trusted_proxies: \"proxy.example.org\""));
  EXPECT_TRUE(mentions(p, "server.listeners[0].address: expected host:port"));
  EXPECT_TRUE(mentions(p, "server.listeners[1]: tls_certificate and tls_key go together"));
  EXPECT_TRUE(mentions(p, "server.listeners[2].client_certificates = \"optional\" needs client_ca"));
  EXPECT_TRUE(mentions(p, "server.listeners[3].client_certificates: \"none\", \"optional\" or \"required\""));
  EXPECT_TRUE(mentions(p, "server.listeners[4].client_certificates = \"required\" needs TLS"));
  EXPECT_TRUE(mentions(p, "server.listeners[5].tls_certificate: cannot read /nonexistent/c.pem"));
  EXPECT_TRUE(mentions(p, "server.listeners[5].tls_key: cannot read /nonexistent/k.pem"));
  EXPECT_TRUE(mentions(p, "unknown key server.listeners[6].adress"));
}

TEST(ListenerConfigTest, TheOldForwardedForKeyIsRefusedWithItsReplacement) {
  auto path = temp_file("old.toml", "[server]\ntrust_forwarded_for = true\n");
  auto p = load_config(path).problems;
  EXPECT_TRUE(mentions(p, "server.trust_forwarded_for: replaced by server.trusted_proxies"));
}

}  // namespace
}  // namespace portier
