#include "web/cookies.h"

#include <gtest/gtest.h>

namespace portier::web {
namespace {

TEST(CookiesTest, ParsesPairsWithSpacing) {
  auto c = parse_cookies("a=1; b=two ;c=\"three\"");
  EXPECT_EQ(c["a"], "1");
  EXPECT_EQ(c["b"], "two");
  EXPECT_EQ(c["c"], "three");
}

TEST(CookiesTest, FirstOccurrenceWins) {
  // A cookie injected for a parent domain must not override ours (sent first).
  auto c = parse_cookies("portier_session=mine; portier_session=injected");
  EXPECT_EQ(c["portier_session"], "mine");
}

TEST(CookiesTest, IgnoresHostilePairs) {
  auto c = parse_cookies("novalue; =empty; bad name=1; ok=1; ctl=a\x01" "b; comma=a,b");
  EXPECT_EQ(c.size(), 1u);
  EXPECT_EQ(c["ok"], "1");
}

TEST(CookiesTest, OversizedHeaderIsIgnored) {
  EXPECT_TRUE(parse_cookies("a=" + std::string(9000, 'x')).empty());
}

TEST(CookiesTest, CapsTheNumberOfCookies) {
  std::string h;
  for (int i = 0; i < 80; ++i) h += "c" + std::to_string(i) + "=1; ";
  EXPECT_EQ(parse_cookies(h).size(), 50u);
}

TEST(CookiesTest, SetCookieOverHttpHasNoPrefix) {
  auto s = set_cookie("portier_session", "tok", CookieOptions{false, std::chrono::seconds(60)});
  EXPECT_EQ(s, "portier_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60");
}

TEST(CookiesTest, SetCookieOverHttpsUsesHostPrefixAndSecure) {
  auto s = set_cookie("portier_session", "tok", CookieOptions{true, std::nullopt});
  EXPECT_EQ(s, "__Host-portier_session=tok; Path=/; HttpOnly; SameSite=Lax; Secure");
}

TEST(CookiesTest, ClearCookieExpiresIt) {
  EXPECT_NE(clear_cookie("x", false).find("Max-Age=0"), std::string::npos);
}

}  // namespace
}  // namespace portier::web
