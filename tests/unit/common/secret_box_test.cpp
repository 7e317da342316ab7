#include <gtest/gtest.h>

#include "common/random.h"
#include "common/secret_box.h"

namespace portier {
namespace {

TEST(SecretBox, OpensUnderTheSameServerKeyAndPurposeOnly) {
  SecretHasher secrets(std::string(32, 'k'));
  SodiumRandom random;
  auto box = seal_secret(secrets, "purpose-a", random, "-----BEGIN PRIVATE KEY-----");
  EXPECT_EQ(box.find("PRIVATE"), std::string::npos);
  EXPECT_EQ(*open_secret(secrets, "purpose-a", box), "-----BEGIN PRIVATE KEY-----");
  // A fresh nonce each time: the same secret never seals to the same box.
  EXPECT_NE(seal_secret(secrets, "purpose-a", random, "-----BEGIN PRIVATE KEY-----"), box);
  // Another purpose, another server key, or a changed byte: no plaintext.
  EXPECT_EQ(open_secret(secrets, "purpose-b", box).error().code, ErrorCode::Internal);
  EXPECT_FALSE(open_secret(SecretHasher(std::string(32, 'x')), "purpose-a", box));
  auto tampered = box;
  tampered[30] = tampered[30] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(open_secret(secrets, "purpose-a", tampered));
  EXPECT_FALSE(open_secret(secrets, "purpose-a", "short"));
}

}  // namespace
}  // namespace portier
