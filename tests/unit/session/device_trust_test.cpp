#include "session/device_trust.h"

#include <gtest/gtest.h>

#include "support/sqlite_fixture.h"

namespace portier {
namespace {

class DeviceTrustTest : public ::testing::Test {
protected:
  SecretHasher secrets{std::string(32, 'k')};
  testing_support::CountingRandom random;
  DeviceTrust trust{secrets, random};
};

TEST_F(DeviceTrustTest, RemembersAnAccountAndReadsItBack) {
  auto cookie = trust.remember("", 42);
  auto devices = trust.parse(cookie);
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].account, 42);
  EXPECT_EQ(trust.nonce_for(cookie, 42), devices[0].nonce);
  EXPECT_FALSE(trust.nonce_for(cookie, 43));
}

TEST_F(DeviceTrustTest, KeepsTheNonceOfAnAccountSignedInAgain) {
  auto first = trust.remember("", 1);
  auto again = trust.remember(first, 1);
  EXPECT_EQ(trust.nonce_for(first, 1), trust.nonce_for(again, 1));
}

TEST_F(DeviceTrustTest, HoldsSeveralAccountsNewestFirstAndAtMostFive) {
  std::string cookie;
  for (AccountId id = 1; id <= 7; ++id) cookie = trust.remember(cookie, id);
  auto devices = trust.parse(cookie);
  ASSERT_EQ(devices.size(), DeviceTrust::kMaxEntries);
  EXPECT_EQ(devices.front().account, 7);
  EXPECT_FALSE(trust.nonce_for(cookie, 1)) << "the oldest entries make room";
}

TEST_F(DeviceTrustTest, IgnoresForgedAndMalformedEntries) {
  auto cookie = trust.remember("", 5);
  auto forged_account = cookie;
  forged_account[0] = '6';  // "5.<nonce>.<mac>" -> "6.<nonce>.<mac>"
  EXPECT_TRUE(trust.parse(forged_account).empty());
  SecretHasher other{std::string(32, 'x')};
  testing_support::CountingRandom r2;
  DeviceTrust elsewhere{other, r2};
  EXPECT_TRUE(trust.parse(elsewhere.remember("", 5)).empty()) << "another server key signs nothing here";
  for (auto junk : {"", "~~~", "abc", "1.2", "x.y.z", "1..", std::string(2000, 'a').c_str()})
    EXPECT_TRUE(trust.parse(junk).empty()) << junk;
  auto mixed = std::string("garbage~") + cookie;
  EXPECT_EQ(trust.parse(mixed).size(), 1u) << "a bad entry does not spoil the good ones";
}

}  // namespace
}  // namespace portier
