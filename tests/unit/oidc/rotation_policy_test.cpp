#include <gtest/gtest.h>

#include "oidc/rotation_policy.h"

namespace portier::oidc {
namespace {

using jose::JwsAlg;
using Kind = RotationStep::Kind;
using std::chrono::days;
using std::chrono::hours;

constexpr JwsAlg kRs[] = {JwsAlg::RS256};

// A tiny in-memory cluster state that applies a plan the way KeyRing does,
// so the test walks real rotations as the clock moves.
struct Ring {
  std::vector<StoredSigningKey> keys;
  int made = 0;

  void apply(const std::vector<RotationStep>& steps, TimePoint now) {
    for (const auto& s : steps) {
      switch (s.kind) {
        case Kind::CreateActive: keys.push_back(key(s.alg, KeyState::Active, now)); break;
        case Kind::CreateNext: keys.push_back(key(s.alg, KeyState::Next, now)); break;
        case Kind::Rotate:
          for (auto& k : keys) {
            if (k.kid == s.active_kid) k.state = KeyState::Retired, k.retired_at = now;
            else if (k.kid == s.next_kid) k.state = KeyState::Active, k.activated_at = now;
          }
          keys.push_back(key(s.alg, KeyState::Next, now));
          break;
        case Kind::DeleteRetired:
          std::erase_if(keys, [&](const auto& k) { return k.state == KeyState::Retired && *k.retired_at <= s.cutoff; });
          break;
      }
    }
  }
  StoredSigningKey key(JwsAlg alg, KeyState state, TimePoint now) {
    StoredSigningKey k;
    k.kid = "k" + std::to_string(++made);
    k.alg = alg;
    k.state = state;
    k.created_at = now;
    if (state == KeyState::Active) k.activated_at = now;
    return k;
  }
  std::string in(KeyState state) const {
    std::string out;
    for (const auto& k : keys)
      if (k.state == state) out += (out.empty() ? "" : ",") + k.kid;
    return out;
  }
};

TEST(RotationPolicy, TheDefaultsAreValidAndAPeriodShorterThanTheMarginIsNot) {
  RotationPolicy policy;
  EXPECT_TRUE(validate(policy));
  EXPECT_EQ(policy.publication_margin(), hours(25));
  policy.rotation_period = hours(24);
  EXPECT_EQ(validate(policy).error().code, ErrorCode::InvalidInput);
  policy = {};
  policy.max_token_lifetime = Seconds(0);
  EXPECT_FALSE(validate(policy));
}

TEST(RotationPolicy, FirstStartMakesAnActiveAndANextKeyPerAlgorithm) {
  RotationPolicy policy;
  TimePoint now = from_unix(1'800'000'000);
  auto steps = plan_rotation({}, jose::kAllAlgs, policy, now);
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(steps[0], (RotationStep{Kind::CreateActive, JwsAlg::RS256}));
  EXPECT_EQ(steps[1], (RotationStep{Kind::CreateNext, JwsAlg::RS256}));
  EXPECT_EQ(steps[5], (RotationStep{Kind::CreateNext, JwsAlg::EdDSA}));
}

TEST(RotationPolicy, AWholeRotationWalkedWithAFakeClock) {
  RotationPolicy policy;  // 90 days, tokens up to 24 h, JWKS cached 1 h
  FakeClock clock;
  Ring ring;
  ring.apply(plan_rotation(ring.keys, kRs, policy, clock.now()), clock.now());
  EXPECT_EQ(ring.in(KeyState::Active), "k1");
  EXPECT_EQ(ring.in(KeyState::Next), "k2");
  // Nothing to do again, and nothing for 90 days less a second.
  EXPECT_TRUE(plan_rotation(ring.keys, kRs, policy, clock.now()).empty());
  clock.advance(days(90) - Seconds(1));
  EXPECT_TRUE(plan_rotation(ring.keys, kRs, policy, clock.now()).empty());

  // Day 90: k1 retires, k2 (published for 90 days) signs, k3 is published.
  clock.advance(Seconds(1));
  auto rotation = plan_rotation(ring.keys, kRs, policy, clock.now());
  ASSERT_EQ(rotation.size(), 1u);
  EXPECT_EQ(rotation[0], (RotationStep{Kind::Rotate, JwsAlg::RS256, "k1", "k2"}));
  ring.apply(rotation, clock.now());
  EXPECT_EQ(ring.in(KeyState::Active), "k2");
  EXPECT_EQ(ring.in(KeyState::Next), "k3");
  EXPECT_EQ(ring.in(KeyState::Retired), "k1");

  // k1 stays published while a token it signed can still be valid...
  clock.advance(hours(24) - Seconds(1));
  EXPECT_TRUE(is_published(ring.keys[0], policy, clock.now()));
  EXPECT_TRUE(plan_rotation(ring.keys, kRs, policy, clock.now()).empty());
  // ...and goes when the last of them has expired.
  clock.advance(Seconds(1));
  EXPECT_FALSE(is_published(ring.keys[0], policy, clock.now()));
  auto cleanup = plan_rotation(ring.keys, kRs, policy, clock.now());
  ASSERT_EQ(cleanup.size(), 1u);
  EXPECT_EQ(cleanup[0].kind, Kind::DeleteRetired);
  EXPECT_EQ(cleanup[0].cutoff, clock.now() - hours(24));
  ring.apply(cleanup, clock.now());
  EXPECT_EQ(ring.in(KeyState::Retired), "");

  // Day 180: the next rotation, counted from k2's activation.
  clock.advance(days(89) - Seconds(1));
  EXPECT_TRUE(plan_rotation(ring.keys, kRs, policy, clock.now()).empty());
  clock.advance(Seconds(1));
  ring.apply(plan_rotation(ring.keys, kRs, policy, clock.now()), clock.now());
  EXPECT_EQ(ring.in(KeyState::Active), "k3");
  EXPECT_EQ(ring.in(KeyState::Next), "k4");
}

TEST(RotationPolicy, ANextKeyNotYetPublishedLongEnoughDoesNotSign) {
  RotationPolicy policy;
  FakeClock clock;
  Ring ring;
  ring.apply(plan_rotation(ring.keys, kRs, policy, clock.now()), clock.now());
  // The next key was lost (deleted by hand) long after the active one began.
  clock.advance(days(100));
  std::erase_if(ring.keys, [](const auto& k) { return k.state == KeyState::Next; });
  auto steps = plan_rotation(ring.keys, kRs, policy, clock.now());
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].kind, Kind::CreateNext);
  ring.apply(steps, clock.now());
  // Overdue, but the new next key must be published for the margin first.
  clock.advance(policy.publication_margin() - Seconds(1));
  EXPECT_TRUE(plan_rotation(ring.keys, kRs, policy, clock.now()).empty());
  clock.advance(Seconds(1));
  EXPECT_EQ(plan_rotation(ring.keys, kRs, policy, clock.now()).at(0).kind, Kind::Rotate);
}

TEST(RotationPolicy, AlgorithmsRotateIndependently) {
  RotationPolicy policy;
  FakeClock clock;
  Ring ring;
  constexpr JwsAlg rs_es[] = {JwsAlg::RS256, JwsAlg::ES256};
  ring.apply(plan_rotation(ring.keys, kRs, policy, clock.now()), clock.now());
  clock.advance(days(30));
  // ES256 enabled a month later: its keys start now and rotate on their own date.
  ring.apply(plan_rotation(ring.keys, rs_es, policy, clock.now()), clock.now());
  clock.advance(days(60));
  auto steps = plan_rotation(ring.keys, rs_es, policy, clock.now());
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].alg, JwsAlg::RS256);
}

}  // namespace
}  // namespace portier::oidc
