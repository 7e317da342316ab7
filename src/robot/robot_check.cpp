#include "robot/robot_check.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <charconv>
#include <optional>

#include "common/encoding.h"
#include "common/secret_hasher.h"

namespace portier {

namespace {

constexpr const char* kAlgorithm = "SHA-256";
// A genuine payload is ~300 bytes of base64 (two 64-hex hashes, a salt, a
// number, the widget's "took"); anything far larger is refused before it is
// decoded or parsed.
constexpr std::size_t kMaxPayload = 1024;
constexpr std::size_t kSaltBytes = 12;
constexpr std::int64_t kLatestExpiry = 4'102'444'800;  // 2100-01-01T00:00:00Z

std::string sha256_hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
  return hex_encode(std::string_view(reinterpret_cast<char*>(out), len));
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return hex_encode(std::string_view(reinterpret_cast<char*>(out), len));
}

// Uniform in [0, max] by rejection sampling: a plain modulo would favour
// small numbers, which a solver could try first.
std::uint64_t uniform(Random& random, std::uint64_t max) {
  if (max == UINT64_MAX) {
    std::uint64_t v;
    random.fill(reinterpret_cast<unsigned char*>(&v), sizeof v);
    return v;
  }
  const std::uint64_t range = max + 1;
  const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % range);
  for (;;) {
    std::uint64_t v;
    random.fill(reinterpret_cast<unsigned char*>(&v), sizeof v);
    if (v < limit) return v % range;
  }
}

std::optional<std::string> base64_decode(std::string_view in) {
  std::string out(in.size() / 4 * 3 + 3, '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), in.data(), in.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

// The widget's convention: parameters after '?' in the salt, here
// "expires=<unix seconds>". Only trusted once the salt's hash and signature
// have been checked.
std::optional<std::int64_t> expires_of(std::string_view salt) {
  auto q = salt.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  auto params = salt.substr(q + 1);
  while (!params.empty()) {
    auto amp = params.find('&');
    auto pair = params.substr(0, amp);
    if (pair.rfind("expires=", 0) == 0) {
      auto v = pair.substr(8);
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      // Bounded: from_unix() counts in system_clock nanoseconds, which
      // overflow past 2262 (found by tests/fuzz/robot_fuzz); no challenge
      // of ours expires after 2100.
      if (ec != std::errc() || end != v.data() + v.size() || n <= 0 || n > kLatestExpiry) return std::nullopt;
      return n;
    }
    if (amp == std::string_view::npos) break;
    params.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

struct Solution {
  std::string algorithm, challenge, salt, signature;
  std::uint64_t number = 0;
};

std::optional<Solution> parse(std::string_view json) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return std::nullopt;
  auto& o = value.as_object();
  auto text = [&](const char* key) -> const boost::json::string* {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? &it->value().as_string() : nullptr;
  };
  auto algorithm = text("algorithm"), challenge = text("challenge"), salt = text("salt"), signature = text("signature");
  auto number = o.find("number");
  if (!algorithm || !challenge || !salt || !signature || number == o.end()) return std::nullopt;
  Solution s{std::string(*algorithm), std::string(*challenge), std::string(*salt), std::string(*signature)};
  auto& n = number->value();
  if (n.is_int64() && n.as_int64() >= 0) s.number = static_cast<std::uint64_t>(n.as_int64());
  else if (n.is_uint64()) s.number = n.as_uint64();
  else return std::nullopt;
  return s;
}

}  // namespace

const char* to_string(RobotVerdict v) {
  switch (v) {
    case RobotVerdict::Passed: return "passed";
    case RobotVerdict::Missing: return "missing";
    case RobotVerdict::Invalid: return "invalid";
    case RobotVerdict::Expired: return "expired";
    case RobotVerdict::Replayed: return "replayed";
    case RobotVerdict::TooEarly: return "too_early";
  }
  return "unknown";
}

RobotCheck::RobotCheck(std::string hmac_key, RobotChallengeStore& spent, Random& random, const Clock& clock,
                       RobotCheckSettings settings)
    : key_(std::move(hmac_key)), spent_(spent), random_(random), clock_(clock), settings_(settings) {}

std::string RobotCheck::issue_challenge_json() {
  unsigned char bytes[kSaltBytes];
  random_.fill(bytes, sizeof bytes);
  auto expires = to_unix(clock_.now() + settings_.challenge_lifetime);
  auto salt = hex_encode(std::string_view(reinterpret_cast<char*>(bytes), sizeof bytes)) +
              "?expires=" + std::to_string(expires);
  auto number = uniform(random_, settings_.max_number);
  auto challenge = sha256_hex(salt + std::to_string(number));
  boost::json::object o{{"algorithm", kAlgorithm},
                        {"challenge", challenge},
                        {"maxnumber", settings_.max_number},
                        {"salt", salt},
                        {"signature", hmac_sha256_hex(key_, challenge)}};
  return boost::json::serialize(o);
}

Result<RobotVerdict> RobotCheck::verify(std::string_view payload) {
  if (payload.empty()) return RobotVerdict::Missing;
  if (payload.size() > kMaxPayload) return RobotVerdict::Invalid;
  auto json = base64_decode(payload);
  if (!json) return RobotVerdict::Invalid;
  auto s = parse(*json);
  if (!s || s->algorithm != kAlgorithm) return RobotVerdict::Invalid;
  // The signature vouches for the challenge, and the challenge for the salt
  // (hence its expiry) and the number: check both before trusting either.
  if (!constant_time_equal(hmac_sha256_hex(key_, s->challenge), s->signature)) return RobotVerdict::Invalid;
  if (!constant_time_equal(sha256_hex(s->salt + std::to_string(s->number)), s->challenge)) return RobotVerdict::Invalid;
  auto expires = expires_of(s->salt);
  if (!expires) return RobotVerdict::Invalid;
  if (to_unix(clock_.now()) >= *expires) return RobotVerdict::Expired;
  // One atomic insert decides between two concurrent submissions of the same
  // solution: exactly one of them passes.
  auto first = spent_.spend(s->challenge, from_unix(*expires));
  if (!first) return tl::unexpected(first.error());
  return *first ? RobotVerdict::Passed : RobotVerdict::Replayed;
}

namespace {

struct WaitToken {
  std::int64_t issued = 0;
  std::string nonce, mac;
};

std::optional<WaitToken> parse_wait_token(std::string_view token) {
  if (token.empty() || token.size() > 200) return std::nullopt;
  auto a = token.find('.');
  if (a == std::string_view::npos) return std::nullopt;
  auto b = token.find('.', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  WaitToken w;
  auto issued = token.substr(0, a);
  auto [end, ec] = std::from_chars(issued.data(), issued.data() + issued.size(), w.issued);
  if (ec != std::errc() || end != issued.data() + issued.size() || w.issued <= 0 || w.issued > kLatestExpiry)
    return std::nullopt;
  w.nonce = std::string(token.substr(a + 1, b - a - 1));
  w.mac = std::string(token.substr(b + 1));
  if (w.nonce.size() != 2 * kSaltBytes || w.nonce.find_first_not_of("0123456789abcdef") != std::string::npos)
    return std::nullopt;
  return w;
}

}  // namespace

std::string RobotCheck::issue_wait_token() {
  unsigned char bytes[kSaltBytes];
  random_.fill(bytes, sizeof bytes);
  auto body = std::to_string(to_unix(clock_.now())) + "." +
              hex_encode(std::string_view(reinterpret_cast<char*>(bytes), sizeof bytes));
  // A purpose prefix in the MAC: a token is never mistaken for a challenge.
  return body + "." + hmac_sha256_hex(key_, "no-script-wait:" + body);
}

bool RobotCheck::is_own_wait_token(std::string_view token) const {
  auto w = parse_wait_token(token);
  if (!w) return false;
  auto body = std::to_string(w->issued) + "." + w->nonce;
  return constant_time_equal(hmac_sha256_hex(key_, "no-script-wait:" + body), w->mac);
}

Result<RobotVerdict> RobotCheck::verify_wait(std::string_view token) {
  if (token.empty()) return RobotVerdict::Missing;
  if (!is_own_wait_token(token)) return RobotVerdict::Invalid;
  auto w = parse_wait_token(token);
  auto now = to_unix(clock_.now());
  auto expires = w->issued + settings_.challenge_lifetime.count();
  if (now >= expires) return RobotVerdict::Expired;
  if (now < w->issued + settings_.no_script_wait.count()) return RobotVerdict::TooEarly;
  // Spent once, in the same table as solutions (its own key space).
  auto first = spent_.spend("wait:" + w->nonce, from_unix(expires));
  if (!first) return tl::unexpected(first.error());
  return *first ? RobotVerdict::Passed : RobotVerdict::Replayed;
}

}  // namespace portier
