// HS256 UserInfo: the MAC under the client secret, nothing else.
#include "federation/hs256.h"

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace portier::federation {
namespace {

TEST(Hs256, RoundTripAndRefusals) {
  auto jws = sign_hs256(R"({"sub":"x"})", "secret");
  auto ok = verify_hs256(jws, "secret");
  ASSERT_TRUE(ok.has_value()) << ok.error().detail;
  EXPECT_EQ(ok->payload, R"({"sub":"x"})");
  EXPECT_FALSE(verify_hs256(jws, "other").has_value());
  EXPECT_FALSE(verify_hs256(jws, "").has_value());
  auto tampered = jws;
  tampered[tampered.find('.') + 2] ^= 1;
  EXPECT_FALSE(verify_hs256(tampered, "secret").has_value());
  // alg none, or any other alg in the header, is not HS256.
  auto none = base64url_encode(R"({"alg":"none"})") + "." + base64url_encode(R"({"sub":"x"})") + ".";
  EXPECT_FALSE(verify_hs256(none, "secret").has_value());
  EXPECT_FALSE(verify_hs256("a.b", "secret").has_value());
}

}  // namespace
}  // namespace portier::federation
