#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "config/config.h"

namespace portier {
namespace {

bool mentions(const std::vector<std::string>& problems, std::string_view key) {
  return std::any_of(problems.begin(), problems.end(), [&](auto& p) { return p.find(key) != std::string::npos; });
}

TEST(MailConfig, DefaultsWriteFilesAndAreValid) {
  Config c;
  EXPECT_TRUE(c.mail.smtp_url.empty());
  EXPECT_EQ(c.mail.from_address, "no-reply@localhost");
  EXPECT_EQ(c.mail.smtp_tls, "starttls");
  EXPECT_EQ(c.outbox_dir(), "data/outbox");
  EXPECT_TRUE(validate(c).empty());
}

TEST(MailConfig, BadValuesAreAllReported) {
  Config c;
  c.mail.from_address = "Portier <no-reply@example.org>";
  c.mail.reply_to = "not an address";
  c.mail.smtp_url = "http://mail.example.org";
  c.mail.smtp_tls = "ssl";
  c.mail.dkim_domain = "example.org";  // selector and key missing
  auto p = validate(c);
  EXPECT_TRUE(mentions(p, "mail.from_address"));
  EXPECT_TRUE(mentions(p, "mail.reply_to"));
  EXPECT_TRUE(mentions(p, "mail.smtp_url"));
  EXPECT_TRUE(mentions(p, "mail.smtp_tls"));
  EXPECT_TRUE(mentions(p, "set all three or none"));
}

TEST(MailConfig, UnreadableDkimKeyIsReported) {
  Config c;
  c.mail.dkim_domain = "example.org";
  c.mail.dkim_selector = "portier";
  c.mail.dkim_key_file = "/nonexistent/dkim.pem";
  auto p = validate(c);
  EXPECT_TRUE(mentions(p, "mail.dkim_key_file: cannot read"));
  EXPECT_FALSE(mentions(p, "set all three"));
}

TEST(MailConfig, EnvironmentOverridesTheFile) {
  ::setenv("PORTIER_SMTP_URL", "smtps://relay.example.org:465", 1);
  ::setenv("PORTIER_MAIL_FROM", "portail@example.org", 1);
  ::setenv("PORTIER_SMTP_USERNAME", "portier", 1);
  ::setenv("PORTIER_SMTP_PASSWORD", "secret", 1);
  auto loaded = load_config("");
  ::unsetenv("PORTIER_SMTP_URL");
  ::unsetenv("PORTIER_MAIL_FROM");
  ::unsetenv("PORTIER_SMTP_USERNAME");
  ::unsetenv("PORTIER_SMTP_PASSWORD");
  EXPECT_TRUE(loaded.problems.empty());
  EXPECT_EQ(loaded.config.mail.smtp_url, "smtps://relay.example.org:465");
  EXPECT_EQ(loaded.config.mail.from_address, "portail@example.org");
  EXPECT_EQ(loaded.config.mail.smtp_username, "portier");
  EXPECT_EQ(loaded.config.mail.smtp_password, "secret");
}

}  // namespace
}  // namespace portier
