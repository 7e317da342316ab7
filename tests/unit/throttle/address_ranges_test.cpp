// lockout.shared_addresses: addresses and CIDR ranges, IPv4 and IPv6, and
// the limits the per-address throttle uses there.
#include "throttle/address_ranges.h"

#include <gtest/gtest.h>

#include "throttle/client_throttle.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

TEST(AddressRanges, RangesAndSingleAddresses) {
  auto r = AddressRanges::parse({"192.0.2.0/24", "198.51.100.7", "2001:db8:10::/48"});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->contains("192.0.2.1"));
  EXPECT_TRUE(r->contains("192.0.2.255"));
  EXPECT_FALSE(r->contains("192.0.3.1"));
  EXPECT_TRUE(r->contains("198.51.100.7"));
  EXPECT_FALSE(r->contains("198.51.100.8"));
  EXPECT_TRUE(r->contains("2001:db8:10:ffff::1"));
  EXPECT_FALSE(r->contains("2001:db8:11::1"));
  EXPECT_TRUE(r->contains("::ffff:192.0.2.9")) << "IPv4-mapped IPv6 counts as IPv4";
  EXPECT_FALSE(r->contains("not an address"));
  EXPECT_FALSE(r->contains(""));
}

TEST(AddressRanges, EmptyListContainsNothing) {
  auto r = AddressRanges::parse({});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
  EXPECT_FALSE(r->contains("127.0.0.1"));
}

TEST(AddressRanges, BadEntriesAreNamed) {
  std::vector<std::string> bad;
  EXPECT_FALSE(AddressRanges::parse({"192.0.2.0/24", "192.0.2.7/24", "hospital", "10.0.0.0/33", "2001:db8::1/48"}, &bad));
  EXPECT_EQ(bad, (std::vector<std::string>{"192.0.2.7/24", "hospital", "10.0.0.0/33", "2001:db8::1/48"}));
}

TEST(AddressRanges, SharedAddressesGetTheirOwnFreeFailures) {
  ClientThrottleSettings settings{10, 1h, 250ms, 8000ms, *AddressRanges::parse({"192.0.2.0/24"}), 200};
  // Only the pure rule here; the counting is tested in client_throttle_test.cpp.
  struct NoStore final : RateLimitStore {
    Result<int> hit(std::string_view, std::chrono::seconds, TimePoint) override { return 0; }
    Result<int> peek(std::string_view, std::chrono::seconds, TimePoint) override { return 0; }
    Result<std::optional<int>> take(std::string_view, std::chrono::seconds, int, TimePoint) override { return std::optional<int>(1); }
    Result<int> purge(TimePoint) override { return 0; }
  } store;
  FakeClock clock;
  ClientThrottle throttle{store, clock, settings};
  EXPECT_TRUE(throttle.assessment(10, "203.0.113.5").needs_robot_check);
  EXPECT_FALSE(throttle.assessment(10, "192.0.2.40").needs_robot_check);
  EXPECT_FALSE(throttle.assessment(199, "192.0.2.40").needs_robot_check);
  EXPECT_TRUE(throttle.assessment(200, "192.0.2.40").needs_robot_check);
  EXPECT_EQ(throttle.assessment(200, "192.0.2.40").delay, 250ms);
}

}  // namespace
}  // namespace portier
