#include "http/forwarded.h"

#include <gtest/gtest.h>

namespace portier::http {
namespace {

AddressRanges proxies() { return *AddressRanges::parse({"127.0.0.1", "10.0.0.0/24", "fd00:1::/64"}); }

TEST(ForwardedTest, TakesTheRightMostAddressThatIsNotAProxy) {
  // A client wrote 6.6.6.6 itself; nginx appended what it saw (203.0.113.9).
  Headers h{{"x-forwarded-for", "6.6.6.6, 203.0.113.9"}};
  EXPECT_EQ(resolve_forwarded(h, "127.0.0.1", proxies()).client_ip, "203.0.113.9");
  // Two of our own proxies in a row are skipped.
  Headers chained{{"x-forwarded-for", "6.6.6.6, 198.51.100.4, 10.0.0.7"}};
  EXPECT_EQ(resolve_forwarded(chained, "127.0.0.1", proxies()).client_ip, "198.51.100.4");
}

TEST(ForwardedTest, SeveralHeaderLinesFormOneList) {
  Headers h{{"x-forwarded-for", "6.6.6.6"}, {"x-forwarded-for", "198.51.100.4"}};
  EXPECT_EQ(resolve_forwarded(h, "127.0.0.1", proxies()).client_ip, "198.51.100.4");
}

TEST(ForwardedTest, ReadsForwardedWhenThereIsNoXForwardedFor) {
  Headers h{{"forwarded", "for=6.6.6.6, for=\"[2001:db8::1]:4711\";proto=https, For=10.0.0.3"}};
  EXPECT_EQ(resolve_forwarded(h, "127.0.0.1", proxies()).client_ip, "2001:db8::1");
  Headers with_port{{"forwarded", "for=192.0.2.60:8080"}};
  EXPECT_EQ(resolve_forwarded(with_port, "127.0.0.1", proxies()).client_ip, "192.0.2.60");
}

TEST(ForwardedTest, GarbageStopsTheWalkAtTheNearestTrustedHop) {
  Headers h{{"x-forwarded-for", "203.0.113.9, unknown, 10.0.0.7"}};
  EXPECT_EQ(resolve_forwarded(h, "127.0.0.1", proxies()).client_ip, "10.0.0.7");
  Headers nothing{{"x-forwarded-for", "not-an-address"}};
  EXPECT_EQ(resolve_forwarded(nothing, "127.0.0.1", proxies()).client_ip, "127.0.0.1");
  EXPECT_EQ(resolve_forwarded({}, "::1", proxies()).client_ip, "::1");
}

TEST(ForwardedTest, ProtoIsTheRightMostKnownScheme) {
  EXPECT_EQ(resolve_forwarded({{"x-forwarded-proto", "http, HTTPS"}}, "127.0.0.1", proxies()).https, true);
  EXPECT_EQ(resolve_forwarded({{"x-forwarded-proto", "http"}}, "127.0.0.1", proxies()).https, false);
  EXPECT_FALSE(resolve_forwarded({{"x-forwarded-proto", "gopher"}}, "127.0.0.1", proxies()).https.has_value());
  EXPECT_FALSE(resolve_forwarded({}, "127.0.0.1", proxies()).https.has_value());
}

TEST(ForwardedTest, StripsForwardingAndCertificateHeadersOnly) {
  Headers h{{"x-forwarded-for", "1.2.3.4"}, {"forwarded", "for=1.2.3.4"}, {"x-forwarded-proto", "https"},
            {"client-cert", ":AAAA:"}, {"client-cert-chain", ":AAAA:"}, {"x-client-cert", "-----BEGIN"},
            {"cookie", "a=b"}, {"user-agent", "curl"}};
  strip_forwarding_headers(h);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].first, "cookie");
  EXPECT_EQ(h[1].first, "user-agent");
}

}  // namespace
}  // namespace portier::http
