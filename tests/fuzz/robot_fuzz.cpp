// The "I'm not a robot" payload (robot/robot_check.h), as web/robot_field.cpp
// reads it from the form field `altcha`. The first byte picks how the rest is
// used:
//   0  the payload itself (base64 of JSON), as an attacker would send it;
//   1  JSON text, base64-encoded here, to reach the JSON reading;
//   2  a salt (and a number) that this target signs with the server key, to
//      reach what only a genuine challenge reaches: the salt's parameters;
//   3  a form body, whose `altcha` field is verified as check_robot() does.
// Invariants: nothing passes without a valid signature over a challenge that
// is the hash of salt and number; a genuine solution passes once, then is a
// replay; an expiry in the past is Expired; the verdict of a signed salt is
// the one of a reference reading of "?expires=<unix seconds>".
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <charconv>
#include <set>

#include "common/encoding.h"
#include "fuzz_check.h"
#include "robot/robot_check.h"
#include "web/form.h"

using namespace portier;

namespace {

const std::string kKey(32, 'k');
const std::int64_t kNow = 1'800'000'000;

class MemoryChallengeStore final : public RobotChallengeStore {
public:
  Result<bool> spend(std::string_view challenge_hash, TimePoint) override {
    return spent.insert(std::string(challenge_hash)).second;
  }
  Result<int> purge_expired(TimePoint) override { return 0; }
  std::set<std::string> spent;
};

class CountingRandom final : public Random {
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

std::string hmac_hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), kKey.data(), static_cast<int>(kKey.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return hex_encode(std::string_view(reinterpret_cast<char*>(out), len));
}

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

// Whether a payload carries a genuine proof: a signed challenge that is the
// hash of its salt and number. Anything verify() lets through must.
bool genuine(std::string_view payload) {
  std::string json(payload.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(json.data()), json.size(), payload.data(), payload.size(),
                        nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return false;
  json.resize(len);
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return false;
  auto& o = v.as_object();
  auto text = [&](const char* k) -> std::string {
    auto* p = o.if_contains(k);
    return p && p->is_string() ? std::string(p->as_string()) : std::string("\x01");
  };
  auto* number = o.if_contains("number");
  if (!number || !(number->is_int64() || number->is_uint64())) return false;
  auto n = number->is_int64() ? std::to_string(number->as_int64()) : std::to_string(number->as_uint64());
  return text("signature") == hmac_hex(text("challenge")) && text("challenge") == sha256_hex(text("salt") + n);
}

// The widget's "?expires=" convention read again, independently: the first
// expires= among the '&'-separated parameters after the first '?', a
// positive decimal no later than 2100.
std::optional<std::int64_t> reference_expiry(std::string_view salt) {
  auto q = salt.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view params = salt.substr(q + 1);
  for (;;) {
    auto amp = params.find('&');
    auto pair = params.substr(0, amp);
    if (pair.substr(0, 8) == "expires=") {
      auto digits = pair.substr(8);
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
      std::int64_t n = 0;
      for (char c : digits)
        if ((n = n * 10 + (c - '0')) > 4'102'444'800) return std::nullopt;
      if (n <= 0) return std::nullopt;
      return n;
    }
    if (amp == std::string_view::npos) return std::nullopt;
    params.remove_prefix(amp + 1);
  }
}

struct Checker {
  MemoryChallengeStore store;
  CountingRandom random;
  FakeClock clock{from_unix(kNow)};
  RobotCheck robot{kKey, store, random, clock, RobotCheckSettings{std::chrono::seconds(600), 1000}};
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The legitimate path, once: a challenge issued and solved passes, then is a replay.
  Checker c;
  auto issued = boost::json::parse(c.robot.issue_challenge_json()).as_object();
  std::string salt(issued.at("salt").as_string()), challenge(issued.at("challenge").as_string());
  for (std::uint64_t n = 0; n <= 1000; ++n) {
    if (sha256_hex(salt + std::to_string(n)) != challenge) continue;
    boost::json::object solution{{"algorithm", "SHA-256"}, {"challenge", challenge}, {"number", n},
                                 {"salt", salt},           {"signature", issued.at("signature")}};
    auto payload = base64(boost::json::serialize(solution));
    FUZZ_CHECK(c.robot.verify(payload) == RobotVerdict::Passed);
    FUZZ_CHECK(c.robot.verify(payload) == RobotVerdict::Replayed);
    return 0;
  }
  FUZZ_CHECK(!"the issued challenge has a solution");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  if (size == 0) return 0;
  auto mode = data[0] % 4;
  auto input = fuzz::as_text(data + 1, size - 1);
  Checker c;
  std::string payload;
  switch (mode) {
    case 0: payload = std::string(input); break;
    case 1: payload = base64(input); break;
    case 3: {
      auto form = web::Form::parse(input);
      if (!form) return 0;
      payload = form->get("altcha");
      break;
    }
    case 2: {
      // The number from the first bytes, the salt from the rest.
      std::uint64_t number = 0;
      auto take = std::min<std::size_t>(input.size(), 3);
      for (std::size_t i = 0; i < take; ++i) number = number * 256 + static_cast<unsigned char>(input[i]);
      std::string salt(input.substr(take));
      auto challenge = sha256_hex(salt + std::to_string(number));
      boost::json::object solution{{"algorithm", "SHA-256"}, {"challenge", challenge}, {"number", number},
                                   {"salt", salt},           {"signature", hmac_hex(challenge)}};
      payload = base64(boost::json::serialize(solution));
      auto verdict = c.robot.verify(payload);
      FUZZ_CHECK(verdict);
      if (payload.size() > 1024 || !is_valid_utf8(salt)) {
        FUZZ_CHECK(*verdict == RobotVerdict::Invalid);
        return 0;
      }
      auto expires = reference_expiry(salt);
      auto expected = !expires ? RobotVerdict::Invalid
                      : kNow >= *expires ? RobotVerdict::Expired
                                         : RobotVerdict::Passed;
      if (*verdict != expected) {
        std::fprintf(stderr, "verdict %s, expected %s\n", to_string(*verdict), to_string(expected));
        FUZZ_CHECK(*verdict == expected);
      }
      if (expected == RobotVerdict::Passed) FUZZ_CHECK(c.robot.verify(payload) == RobotVerdict::Replayed);
      return 0;
    }
  }
  auto verdict = c.robot.verify(payload);
  FUZZ_CHECK(verdict);
  if (payload.empty()) FUZZ_CHECK(*verdict == RobotVerdict::Missing);
  else FUZZ_CHECK(*verdict != RobotVerdict::Missing);
  if (payload.size() > 1024) FUZZ_CHECK(*verdict == RobotVerdict::Invalid);
  if (*verdict == RobotVerdict::Passed || *verdict == RobotVerdict::Expired) FUZZ_CHECK(genuine(payload));
  return 0;
}
