#include <gtest/gtest.h>

#include <algorithm>

#include "config/config.h"

namespace portier {
namespace {

bool mentions(const std::vector<std::string>& problems, std::string_view key) {
  return std::any_of(problems.begin(), problems.end(), [&](auto& p) { return p.find(key) != std::string::npos; });
}

TEST(DisplayConfig, ParisByDefaultAndUnknownZonesRefused) {
  Config c;
  EXPECT_EQ(c.portal.time_zone, "Europe/Paris");
  c.portal.time_zone = "Europe/Atlantis";
  EXPECT_TRUE(mentions(validate(c), "portal.time_zone: unknown time zone \"Europe/Atlantis\""));
  c.portal.time_zone = "America/Guadeloupe";
  EXPECT_TRUE(validate(c).empty());
}

// make run's defaults (localhost everywhere) start; a real public URL needs a real sender.
TEST(DisplayConfig, LocalhostSenderOnlyWithALoopbackPublicUrl) {
  Config c;
  EXPECT_TRUE(validate(c).empty());
  c.server.public_url = "http://127.0.0.1:8080";
  EXPECT_TRUE(validate(c).empty());
  c.server.public_url = "https://portail.reseau-sante.fr";
  auto p = validate(c);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(mentions(p, "mail.from_address: 'no-reply@localhost' is an address at this machine"));
  c.mail.from_address = "no-reply@127.0.0.1";
  EXPECT_TRUE(mentions(validate(c), "mail.from_address"));
  c.mail.from_address = "no-reply@reseau-sante.fr";
  EXPECT_TRUE(validate(c).empty());
}

}  // namespace
}  // namespace portier
