#include "config/loopback.h"

#include <gtest/gtest.h>

#include "config/config.h"

namespace portier {
namespace {

TEST(Loopback, Hosts) {
  for (const char* h : {"127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LocalHost"}) EXPECT_TRUE(is_loopback_host(h)) << h;
  for (const char* h : {"10.0.0.1", "128.0.0.1", "127.example.org", "localhost.example.org", "::2", "", "0.0.0.0"})
    EXPECT_FALSE(is_loopback_host(h)) << h;
}

TEST(Loopback, UrlHost) {
  EXPECT_EQ(url_host("smtp://127.0.0.1:2525"), "127.0.0.1");
  EXPECT_EQ(url_host("smtp://user@relay.example.org:587/"), "relay.example.org");
  EXPECT_EQ(url_host("smtp://[::1]:25"), "::1");
  EXPECT_EQ(url_host("smtp://localhost"), "localhost");
  EXPECT_EQ(url_host("no scheme"), "");
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  for (auto& p : problems)
    if (p.find(text) != std::string::npos) return true;
  return false;
}

TEST(Loopback, SmtpWithoutTlsOnlyToThisMachine) {
  Config c;
  c.mail.smtp_tls = "none";
  c.mail.smtp_url = "smtp://relay.example.org:25";
  EXPECT_TRUE(mentions(validate(c), "mail.smtp_tls"));
  c.mail.smtp_url = "smtp://127.0.0.1.example.org:25";
  EXPECT_TRUE(mentions(validate(c), "mail.smtp_tls"));
  for (const char* ok : {"smtp://127.0.0.1:2525", "smtp://localhost:25", "smtp://[::1]:25"}) {
    c.mail.smtp_url = ok;
    EXPECT_FALSE(mentions(validate(c), "mail.smtp_tls")) << ok;
  }
  c.mail.smtp_url = "smtp://relay.example.org:587";
  c.mail.smtp_tls = "starttls";
  EXPECT_FALSE(mentions(validate(c), "mail.smtp_tls"));
}

}  // namespace
}  // namespace portier
