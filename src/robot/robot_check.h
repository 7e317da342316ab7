#pragma once
// "I'm not a robot": a self-hosted ALTCHA proof of work. The server issues a
// signed challenge; the browser's widget finds the number whose SHA-256 with
// the salt matches; the form carries the solution back. No third party, no
// images to decipher. Never says more than "passed" or why not.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"

namespace portier {

// Remembers solved challenges until they expire, so one solution cannot be
// replayed. Lives in the database so that every node agrees.
class RobotChallengeStore {
public:
  virtual ~RobotChallengeStore() = default;
  /// Records `challenge_hash` as spent until `expires_at`. true the first
  /// time, false when it was already spent (a replay).
  virtual Result<bool> spend(std::string_view challenge_hash, TimePoint expires_at) = 0;
  virtual Result<int> purge_expired(TimePoint now) = 0;
};

struct RobotCheckSettings {
  std::chrono::seconds challenge_lifetime{20 * 60};
  std::uint64_t max_number = 100'000;  // the work: ~0.1-0.5 s on a hospital PC
  // Without JavaScript the widget cannot run: the form carries a signed
  // "waiting" token instead, accepted this long after it was issued (and
  // before challenge_lifetime), once. Costs a robot time, as the proof of
  // work costs it CPU.
  std::chrono::seconds no_script_wait{15};
};

enum class RobotVerdict {
  Passed,
  Missing,   // no solution in the form (the widget was not completed, or no JavaScript)
  Invalid,   // malformed, bad signature or wrong number
  Expired,   // solved too late
  Replayed,  // this solution was already used
  TooEarly,  // the no-JavaScript waiting token came back before its wait was over
};
const char* to_string(RobotVerdict v);

class RobotCheck {
public:
  RobotCheck(std::string hmac_key, RobotChallengeStore& spent, Random& random, const Clock& clock,
             RobotCheckSettings settings = {});
  // A new challenge as the JSON object the ALTCHA widget expects
  // ({"algorithm","challenge","maxnumber","salt","signature"}).
  std::string issue_challenge_json();
  // Checks the widget's payload (base64 of a JSON object) and spends it.
  // Unavailable when the store cannot be reached.
  Result<RobotVerdict> verify(std::string_view payload);
  // The no-JavaScript path: a signed token "<issued unix>.<nonce>.<mac>"
  // put in the form when it is shown, and its check when the form comes
  // back (TooEarly before no_script_wait; spent once, like a solution).
  std::string issue_wait_token();
  Result<RobotVerdict> verify_wait(std::string_view token);
  // A token as issued by us (signature right), whatever its age: kept on a
  // form sent too early so that the wait is not started again.
  bool is_own_wait_token(std::string_view token) const;
  std::chrono::seconds no_script_wait() const { return settings_.no_script_wait; }

private:
  std::string key_;
  RobotChallengeStore& spent_;
  Random& random_;
  const Clock& clock_;
  RobotCheckSettings settings_;
};

}  // namespace portier
