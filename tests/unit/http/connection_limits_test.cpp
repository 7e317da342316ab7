#include "http/connection_limits.h"

#include <gtest/gtest.h>

namespace portier::http {
namespace {

TEST(ConnectionLimitsTest, TheTotalCapHoldsWhateverTheNumberOfAddresses) {
  ConnectionLimits limits({/*per_address=*/2, /*total=*/3});
  EXPECT_EQ(limits.admit("192.0.2.1"), Admission::Admitted);
  EXPECT_EQ(limits.admit("192.0.2.2"), Admission::Admitted);
  EXPECT_EQ(limits.admit("192.0.2.3"), Admission::Admitted);
  EXPECT_EQ(limits.admit("192.0.2.4"), Admission::TotalFull) << "a fourth address, each under its own cap";
  EXPECT_EQ(limits.open(), 3);
  limits.release("192.0.2.2");
  EXPECT_EQ(limits.admit("192.0.2.4"), Admission::Admitted);
}

TEST(ConnectionLimitsTest, ThePerAddressCapHoldsBelowTheTotal) {
  ConnectionLimits limits({/*per_address=*/2, /*total=*/100});
  EXPECT_EQ(limits.admit("192.0.2.1"), Admission::Admitted);
  EXPECT_EQ(limits.admit("192.0.2.1"), Admission::Admitted);
  EXPECT_EQ(limits.admit("192.0.2.1"), Admission::PerAddressFull);
  EXPECT_EQ(limits.admit("192.0.2.9"), Admission::Admitted) << "other addresses still get in";
  limits.release("192.0.2.1");
  EXPECT_EQ(limits.admit("192.0.2.1"), Admission::Admitted);
  EXPECT_EQ(limits.open(), 3);
}

TEST(ConnectionLimitsTest, ReleasingAnUnknownAddressChangesNothing) {
  ConnectionLimits limits({2, 2});
  limits.release("192.0.2.1");
  EXPECT_EQ(limits.open(), 0);
  EXPECT_EQ(limits.admit("192.0.2.1"), Admission::Admitted);
}

}  // namespace
}  // namespace portier::http

namespace portier::http {
namespace {

TEST(ConnectionLimitsTest, ATrustedProxyIsCappedOnlyByTheTotal) {
  ConnectionLimits limits({2, 5});
  EXPECT_EQ(limits.admit("10.0.0.5", false), Admission::Admitted);
  EXPECT_EQ(limits.admit("10.0.0.5", false), Admission::Admitted);
  EXPECT_EQ(limits.admit("10.0.0.5", false), Admission::Admitted);  // past the per-address cap
  EXPECT_EQ(limits.admit("10.0.0.5"), Admission::PerAddressFull);   // the same address, capped
  EXPECT_EQ(limits.admit("10.0.0.5", false), Admission::Admitted);
  EXPECT_EQ(limits.admit("10.0.0.5", false), Admission::Admitted);
  EXPECT_EQ(limits.admit("10.0.0.5", false), Admission::TotalFull);
  for (int i = 0; i < 5; ++i) limits.release("10.0.0.5");
  EXPECT_EQ(limits.open(), 0);
}

}  // namespace
}  // namespace portier::http
