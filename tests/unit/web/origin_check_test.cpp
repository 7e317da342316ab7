#include "web/origin_check.h"

#include <gtest/gtest.h>

namespace portier::web {
namespace {

TEST(OriginCheckTest, TheOriginOfAPublicUrlIsWrittenAsBrowsersWriteIt) {
  EXPECT_EQ(origin_of("https://Portail.Example.org/"), "https://portail.example.org");
  EXPECT_EQ(origin_of("https://portail.example.org:443/sso"), "https://portail.example.org");
  EXPECT_EQ(origin_of("http://localhost:8080"), "http://localhost:8080");
  EXPECT_EQ(origin_of("http://127.0.0.1:80/x?y#z"), "http://127.0.0.1");
  EXPECT_EQ(origin_of("https://[::1]:8443"), "https://[::1]:8443");
}

TEST(OriginCheckTest, WhatIsNotAnHttpOriginHasNone) {
  EXPECT_EQ(origin_of("null"), "");
  EXPECT_EQ(origin_of(""), "");
  EXPECT_EQ(origin_of("ftp://example.org"), "");
  EXPECT_EQ(origin_of("https://user@example.org"), "");
  EXPECT_EQ(origin_of("/connexion"), "");
}

const std::string kOwn = "https://portail.example.org";

TEST(OriginCheckTest, APostFromThePortalsOwnPagesPasses) {
  EXPECT_EQ(foreign_post("https://portail.example.org", "same-origin", kOwn), std::nullopt);
  EXPECT_EQ(foreign_post("https://PORTAIL.example.org:443", "", kOwn), std::nullopt);
  EXPECT_EQ(foreign_post("", "none", kOwn), std::nullopt);
}

TEST(OriginCheckTest, AbsentHeadersAreNotHeldAgainstARequest) {
  EXPECT_EQ(foreign_post("", "", kOwn), std::nullopt);
}

TEST(OriginCheckTest, ANullOriginIsWhatOurOwnNoReferrerPagesSendSoTheFetchSiteDecides) {
  // Chromium posting a form of a page served with Referrer-Policy: no-referrer.
  EXPECT_EQ(foreign_post("null", "same-origin", kOwn), std::nullopt);
  EXPECT_EQ(foreign_post("null", "", kOwn), std::nullopt);
  EXPECT_EQ(foreign_post("null", "cross-site", kOwn), ForeignPost::FetchSite);
}

TEST(OriginCheckTest, AnotherOriginOrNullIsRefused) {
  EXPECT_EQ(foreign_post("https://evil.example", "", kOwn), ForeignPost::Origin);
  EXPECT_EQ(foreign_post("http://portail.example.org", "", kOwn), ForeignPost::Origin);
  EXPECT_EQ(foreign_post("https://portail.example.org:8443", "", kOwn), ForeignPost::Origin);
  EXPECT_EQ(foreign_post("https://app.portail.example.org", "same-site", kOwn), ForeignPost::Origin);
}

TEST(OriginCheckTest, CrossSiteAndSameSiteFetchesAreRefused) {
  EXPECT_EQ(foreign_post("", "cross-site", kOwn), ForeignPost::FetchSite);
  EXPECT_EQ(foreign_post("", "Same-Site", kOwn), ForeignPost::FetchSite);
  EXPECT_EQ(foreign_post(kOwn, "cross-site", kOwn), ForeignPost::FetchSite);
  EXPECT_EQ(foreign_post("", "something-new", kOwn), ForeignPost::FetchSite);
}

}  // namespace
}  // namespace portier::web
