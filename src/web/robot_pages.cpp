#include "web/pages.h"

namespace portier::web {

// GET /robot/defi: a fresh signed challenge for the ALTCHA widget. No
// database and no hashing beyond one HMAC, so it is answered inline.
http::Response robot_challenge(Exchange& ex) {
  http::Response r;
  r.set_header("Content-Type", "application/json");
  // Each challenge is single use: a cached one would be refused as a replay.
  r.set_header("Cache-Control", "no-store");
  r.body = ex.services().robot.issue_challenge_json();
  apply_security_headers(r, ex.secure());
  return r;
}

}  // namespace portier::web
