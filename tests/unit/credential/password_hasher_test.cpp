#include "credential/password_hasher.h"

#include <gtest/gtest.h>

namespace portier {
namespace {

// Small params keep the suite fast; one test below uses the defaults.
constexpr Argon2Params kFast{.memory_kib = 1024, .iterations = 1, .parallelism = 1};

TEST(PasswordHasher, RoundTrip) {
  PasswordHasher hasher(kFast);
  auto phc = hasher.hash("correct horse battery staple");
  ASSERT_TRUE(phc);
  EXPECT_TRUE(hasher.verify(*phc, "correct horse battery staple"));
  EXPECT_FALSE(hasher.verify(*phc, "correct horse battery stapler"));
  EXPECT_FALSE(hasher.verify(*phc, ""));
}

TEST(PasswordHasher, SaltsEachHash) {
  PasswordHasher hasher(kFast);
  EXPECT_NE(*hasher.hash("same password"), *hasher.hash("same password"));
}

TEST(PasswordHasher, PhcStringCarriesParams) {
  PasswordHasher hasher(kFast);
  auto phc = hasher.hash("x");
  ASSERT_TRUE(phc);
  EXPECT_TRUE(phc->starts_with("$argon2id$v=19$m=1024,t=1,p=1$")) << *phc;
}

TEST(PasswordHasher, DefaultParams) {
  PasswordHasher hasher(Argon2Params{});
  auto phc = hasher.hash("a long enough passphrase");
  ASSERT_TRUE(phc);
  EXPECT_TRUE(phc->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *phc;
  EXPECT_TRUE(hasher.verify(*phc, "a long enough passphrase"));
  EXPECT_FALSE(hasher.needs_rehash(*phc));
}

TEST(PasswordHasher, GarbagePhcIsFalse) {
  PasswordHasher hasher(kFast);
  EXPECT_FALSE(hasher.verify("", "pw"));
  EXPECT_FALSE(hasher.verify("not a hash", "pw"));
  EXPECT_FALSE(hasher.verify("$argon2id$v=19$m=1024,t=1,p=1$garbage", "pw"));
  EXPECT_FALSE(hasher.verify(std::string(500, '$'), "pw"));
  EXPECT_TRUE(hasher.needs_rehash("not a hash"));
}

TEST(PasswordHasher, NeedsRehashWhenParamsChange) {
  PasswordHasher old_hasher(kFast);
  auto phc = old_hasher.hash("pw");
  ASSERT_TRUE(phc);
  EXPECT_FALSE(old_hasher.needs_rehash(*phc));
  EXPECT_TRUE(PasswordHasher({.memory_kib = 2048, .iterations = 1}).needs_rehash(*phc));
  EXPECT_TRUE(PasswordHasher({.memory_kib = 1024, .iterations = 2}).needs_rehash(*phc));
}

TEST(PasswordHasher, VerifyDummyIsAlwaysFalse) {
  PasswordHasher hasher(kFast);
  EXPECT_FALSE(hasher.verify_dummy("anything"));
  EXPECT_FALSE(hasher.verify_dummy(""));
}

TEST(Argon2Params, Validate) {
  EXPECT_TRUE(validate(Argon2Params{}).empty());
  EXPECT_TRUE(validate(kFast).empty());
  EXPECT_EQ(validate({.parallelism = 2}).size(), 1u);
  EXPECT_EQ(validate({.memory_kib = 4}).size(), 1u);
  EXPECT_EQ(validate({.memory_kib = 8}).size(), 0u);
  EXPECT_EQ(validate({.memory_kib = 5u * 1024 * 1024}).size(), 1u);
  EXPECT_EQ(validate({.iterations = 0}).size(), 1u);
  EXPECT_EQ(validate({.memory_kib = 1, .iterations = 0, .parallelism = 4}).size(), 3u);
}

TEST(PasswordHasher, RejectsInvalidParamsAtConstruction) {
  EXPECT_THROW(PasswordHasher({.parallelism = 2}), std::runtime_error);
}

}  // namespace
}  // namespace portier
