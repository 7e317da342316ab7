#include "credential/totp.h"

#include <gtest/gtest.h>

namespace portier::totp {
namespace {

using namespace std::chrono_literals;

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const std::string kRfcSecret = "12345678901234567890";

TEST(Totp, MatchesTheRfc6238Sha1Vectors) {
  EXPECT_EQ(generate(kRfcSecret, from_unix(59), 8), "94287082");
  EXPECT_EQ(generate(kRfcSecret, from_unix(1111111109), 8), "07081804");
  EXPECT_EQ(generate(kRfcSecret, from_unix(1111111111), 8), "14050471");
  EXPECT_EQ(generate(kRfcSecret, from_unix(1234567890), 8), "89005924");
  EXPECT_EQ(generate(kRfcSecret, from_unix(2000000000), 8), "69279037");
  // The RFC's last vector (T = 20000000000, year 2603) is left out: a
  // nanosecond system_clock time point cannot hold it.
}

TEST(Totp, SixDigitCodesAreTheLastSixOfTheEightDigitOnes) {
  // Truncation is modulo 10^digits: the six-digit code apps show.
  EXPECT_EQ(generate(kRfcSecret, from_unix(59)), "287082");
  EXPECT_EQ(generate(kRfcSecret, from_unix(1111111109)), "081804");
}

TEST(Totp, StepsAreThirtySeconds) {
  EXPECT_EQ(step_of(from_unix(0)), 0);
  EXPECT_EQ(step_of(from_unix(29)), 0);
  EXPECT_EQ(step_of(from_unix(30)), 1);
  EXPECT_EQ(step_of(from_unix(1111111109)), 37037036);
}

TEST(Totp, Base32RoundTripsAndAcceptsWhatMembersCopy) {
  std::string secret(kSecretBytes, '\0');
  for (std::size_t i = 0; i < secret.size(); ++i) secret[i] = static_cast<char>(i * 37 + 11);
  auto text = base32_encode(secret);
  EXPECT_EQ(text.size(), 32u);
  EXPECT_EQ(text.find('='), std::string::npos);
  EXPECT_EQ(base32_decode(text), secret);
  // Lower case, grouped by four with spaces.
  std::string grouped;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i && i % 4 == 0) grouped += ' ';
    grouped += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  EXPECT_EQ(base32_decode(grouped), secret);
  EXPECT_EQ(base32_encode(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(base32_decode("not base32!"), std::nullopt);
}

TEST(Totp, TheWindowAcceptsTheNeighbouringStepsOnly) {
  auto now = from_unix(1'800'000'015);
  auto current = step_of(now);
  EXPECT_EQ(match(kRfcSecret, generate(kRfcSecret, now), now), current);
  EXPECT_EQ(match(kRfcSecret, generate(kRfcSecret, now - 30s), now), current - 1);
  EXPECT_EQ(match(kRfcSecret, generate(kRfcSecret, now + 30s), now), current + 1);
  EXPECT_EQ(match(kRfcSecret, generate(kRfcSecret, now - 60s), now), std::nullopt);
  EXPECT_EQ(match(kRfcSecret, generate(kRfcSecret, now + 60s), now), std::nullopt);
}

TEST(Totp, RefusesCodesThatAreNotSixDigits) {
  auto now = from_unix(1'800'000'015);
  auto code = generate(kRfcSecret, now);
  EXPECT_EQ(match(kRfcSecret, code.substr(0, 5), now), std::nullopt);
  EXPECT_EQ(match(kRfcSecret, code + "0", now), std::nullopt);
  EXPECT_EQ(match(kRfcSecret, "12345a", now), std::nullopt);
  EXPECT_EQ(match(kRfcSecret, "", now), std::nullopt);
}

}  // namespace
}  // namespace portier::totp
