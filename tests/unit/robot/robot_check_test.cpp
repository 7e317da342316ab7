#include "robot/robot_check.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <set>

#include "common/encoding.h"

namespace portier {
namespace {

using namespace std::chrono_literals;

// Remembers spent challenges in memory; the SQLite store has its own contract suite.
class MemoryChallengeStore final : public RobotChallengeStore {
public:
  Result<bool> spend(std::string_view challenge_hash, TimePoint) override {
    return spent.insert(std::string(challenge_hash)).second;
  }
  Result<int> purge_expired(TimePoint) override { return 0; }
  std::set<std::string> spent;
};

class SequenceRandom final : public Random {
public:
  void fill(unsigned char* out, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<unsigned char>(next_++ * 31 + 7);
  }

private:
  unsigned next_ = 1;
};

std::string sha256_hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
  return hex_encode(std::string_view(reinterpret_cast<char*>(out), len));
}

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// What the widget's worker does: try every number up to maxnumber.
boost::json::object solve(const std::string& challenge_json) {
  auto c = boost::json::parse(challenge_json).as_object();
  std::string salt(c.at("salt").as_string()), challenge(c.at("challenge").as_string());
  auto max = c.at("maxnumber").to_number<std::uint64_t>();
  for (std::uint64_t n = 0; n <= max; ++n) {
    if (sha256_hex(salt + std::to_string(n)) == challenge) {
      return {{"algorithm", c.at("algorithm")}, {"challenge", challenge}, {"number", n},
              {"salt", salt},                   {"signature", c.at("signature")}, {"took", 12}};
    }
  }
  ADD_FAILURE() << "no solution up to " << max;
  return {};
}

std::string payload(const boost::json::object& o) { return base64(boost::json::serialize(o)); }

class RobotCheckTest : public ::testing::Test {
protected:
  FakeClock clock;
  SequenceRandom random;
  MemoryChallengeStore store;
  RobotCheck check{std::string(32, 'k'), store, random, clock, RobotCheckSettings{20min, 500}};

  RobotVerdict verify(const std::string& p) {
    auto v = check.verify(p);
    EXPECT_TRUE(v) << (v ? "" : v.error().detail);
    return v ? *v : RobotVerdict::Missing;
  }
};

TEST_F(RobotCheckTest, ChallengeHasTheFieldsTheWidgetExpects) {
  auto c = boost::json::parse(check.issue_challenge_json()).as_object();
  EXPECT_EQ(c.at("algorithm").as_string(), "SHA-256");
  EXPECT_EQ(c.at("maxnumber").to_number<std::uint64_t>(), 500u);
  EXPECT_EQ(c.at("challenge").as_string().size(), 64u);
  EXPECT_EQ(c.at("signature").as_string().size(), 64u);
  std::string salt(c.at("salt").as_string());
  EXPECT_EQ(salt.substr(salt.find('?')), "?expires=" + std::to_string(to_unix(clock.now() + 20min)));
}

TEST_F(RobotCheckTest, SolvedChallengePasses) {
  EXPECT_EQ(verify(payload(solve(check.issue_challenge_json()))), RobotVerdict::Passed);
}

TEST_F(RobotCheckTest, NumbersAreSpreadOverTheWholeRange) {
  std::set<std::uint64_t> numbers;
  for (int i = 0; i < 20; ++i) numbers.insert(solve(check.issue_challenge_json()).at("number").as_uint64());
  EXPECT_GT(numbers.size(), 10u);
  EXPECT_LE(*numbers.rbegin(), 500u);
}

TEST_F(RobotCheckTest, SecondUseIsAReplay) {
  auto p = payload(solve(check.issue_challenge_json()));
  EXPECT_EQ(verify(p), RobotVerdict::Passed);
  EXPECT_EQ(verify(p), RobotVerdict::Replayed);
}

TEST_F(RobotCheckTest, SolvedTooLateIsExpired) {
  auto p = payload(solve(check.issue_challenge_json()));
  clock.advance(20min);
  EXPECT_EQ(verify(p), RobotVerdict::Expired);
  EXPECT_TRUE(store.spent.empty());  // an expired solution is not recorded
}

TEST_F(RobotCheckTest, JustBeforeExpiryStillPasses) {
  auto p = payload(solve(check.issue_challenge_json()));
  clock.advance(20min - 1s);
  EXPECT_EQ(verify(p), RobotVerdict::Passed);
}

TEST_F(RobotCheckTest, WrongNumberIsInvalid) {
  auto s = solve(check.issue_challenge_json());
  s["number"] = (s.at("number").as_uint64() + 1) % 501;
  EXPECT_EQ(verify(payload(s)), RobotVerdict::Invalid);
}

TEST_F(RobotCheckTest, TamperedSignatureIsInvalid) {
  auto s = solve(check.issue_challenge_json());
  std::string sig(s.at("signature").as_string());
  sig[0] = sig[0] == '0' ? '1' : '0';
  s["signature"] = sig;
  EXPECT_EQ(verify(payload(s)), RobotVerdict::Invalid);
}

TEST_F(RobotCheckTest, ChallengeSignedWithAnotherKeyIsInvalid) {
  RobotCheck other{std::string(32, 'x'), store, random, clock, RobotCheckSettings{20min, 500}};
  EXPECT_EQ(verify(payload(solve(other.issue_challenge_json()))), RobotVerdict::Invalid);
}

TEST_F(RobotCheckTest, PushingTheSaltExpiryIsInvalid) {
  auto s = solve(check.issue_challenge_json());
  std::string salt(s.at("salt").as_string());
  salt = salt.substr(0, salt.find('?')) + "?expires=" + std::to_string(to_unix(clock.now() + 24h));
  s["salt"] = salt;
  clock.advance(21min);
  EXPECT_EQ(verify(payload(s)), RobotVerdict::Invalid);
}

TEST_F(RobotCheckTest, OtherAlgorithmIsInvalid) {
  auto s = solve(check.issue_challenge_json());
  s["algorithm"] = "SHA-1";
  EXPECT_EQ(verify(payload(s)), RobotVerdict::Invalid);
}

TEST_F(RobotCheckTest, MalformedPayloadsAreInvalid) {
  EXPECT_EQ(verify("%%%not base64%%%"), RobotVerdict::Invalid);
  EXPECT_EQ(verify(base64("{not json")), RobotVerdict::Invalid);
  EXPECT_EQ(verify(base64("[1,2,3]")), RobotVerdict::Invalid);
  EXPECT_EQ(verify(base64(R"({"algorithm":"SHA-256"})")), RobotVerdict::Invalid);
  auto s = solve(check.issue_challenge_json());
  s["number"] = "42";
  EXPECT_EQ(verify(payload(s)), RobotVerdict::Invalid);
  s["number"] = -1;
  EXPECT_EQ(verify(payload(s)), RobotVerdict::Invalid);
}

TEST_F(RobotCheckTest, OversizedPayloadIsRefusedUnread) {
  EXPECT_EQ(verify(std::string(100'000, 'A')), RobotVerdict::Invalid);
}

TEST_F(RobotCheckTest, EmptyPayloadIsMissing) { EXPECT_EQ(verify(""), RobotVerdict::Missing); }

TEST_F(RobotCheckTest, StoreFailureIsReported) {
  class DownStore final : public RobotChallengeStore {
  public:
    Result<bool> spend(std::string_view, TimePoint) override { return fail(ErrorCode::Unavailable, "down"); }
    Result<int> purge_expired(TimePoint) override { return 0; }
  } down;
  RobotCheck c{std::string(32, 'k'), down, random, clock, RobotCheckSettings{20min, 500}};
  auto v = c.verify(payload(solve(c.issue_challenge_json())));
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, ErrorCode::Unavailable);
}

// Found by tests/fuzz/robot_fuzz: a signed salt whose expiry lies past 2262
// overflowed the nanosecond clock (undefined behaviour). Only a holder of the
// key can sign one; it is refused all the same.
TEST_F(RobotCheckTest, ExpiryBeyondTheClockRangeIsInvalid) {
  for (std::string expires : {"99999999999999999", "9223372036854775807", "4102444801"}) {
    std::string salt = "0a0b0c?expires=" + expires, number = "7";
    auto challenge = sha256_hex(salt + number);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    std::string key(32, 'k');
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(challenge.data()), challenge.size(), mac, &len);
    boost::json::object o{{"algorithm", "SHA-256"}, {"challenge", challenge}, {"number", 7}, {"salt", salt},
                          {"signature", hex_encode(std::string_view(reinterpret_cast<char*>(mac), len))}};
    EXPECT_EQ(verify(payload(o)), RobotVerdict::Invalid) << expires;
  }
}

// Without JavaScript: a signed waiting token replaces the proof of work.
class RobotWaitTest : public ::testing::Test {
protected:
  FakeClock clock;
  SequenceRandom random;
  MemoryChallengeStore store;
  RobotCheck check{std::string(32, 'k'), store, random, clock, RobotCheckSettings{20min, 500, 15s}};
  Result<RobotVerdict> verify(const std::string& t) { return check.verify_wait(t); }
};

TEST_F(RobotWaitTest, TooEarlyThenPassesOnceAfterTheWait) {
  auto token = check.issue_wait_token();
  EXPECT_TRUE(check.is_own_wait_token(token));
  clock.advance(14s);
  EXPECT_EQ(*verify(token), RobotVerdict::TooEarly);
  clock.advance(1s);
  EXPECT_EQ(*verify(token), RobotVerdict::Passed);
  EXPECT_EQ(*verify(token), RobotVerdict::Replayed);
}

TEST_F(RobotWaitTest, ExpiresWithTheChallengeLifetime) {
  auto token = check.issue_wait_token();
  clock.advance(20min);
  EXPECT_EQ(*verify(token), RobotVerdict::Expired);
}

TEST_F(RobotWaitTest, ADatedBackOrForeignTokenIsInvalid) {
  auto token = check.issue_wait_token();
  auto dot = token.find('.');
  auto backdated = std::to_string(std::stoll(token.substr(0, dot)) - 60) + token.substr(dot);
  EXPECT_EQ(*verify(backdated), RobotVerdict::Invalid);
  RobotCheck other{std::string(32, 'x'), store, random, clock, RobotCheckSettings{20min, 500, 15s}};
  auto foreign = other.issue_wait_token();
  clock.advance(30s);
  EXPECT_EQ(*verify(foreign), RobotVerdict::Invalid);
  EXPECT_EQ(*verify("garbage"), RobotVerdict::Invalid);
  EXPECT_EQ(*verify(""), RobotVerdict::Missing);
  EXPECT_FALSE(check.is_own_wait_token(backdated));
}

TEST_F(RobotWaitTest, AWidgetSolutionIsNotAWaitingToken) {
  auto challenge = check.issue_challenge_json();
  clock.advance(30s);
  EXPECT_EQ(*verify(challenge), RobotVerdict::Invalid);
}

}  // namespace
}  // namespace portier
