#pragma once
// The logout token of OpenID Connect Back-Channel Logout 1.0 §2.4: a JWT
// signed like the provider's ID tokens, with `typ` logout+jwt (§2.4, so it
// can never pass for an ID token), telling one application that one session
// ended. It carries `sid` and `sub`, the `events` member, and never a
// `nonce` (§2.4: its absence is how relying parties tell it apart).
#include <boost/json/object.hpp>
#include <chrono>
#include <string>

#include "account/account.h"
#include "common/clock.h"
#include "common/result.h"
#include "oidc/jose/signing_key.h"

namespace portier::oidc {

inline constexpr const char* kBackchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";
inline constexpr const char* kLogoutTokenType = "logout+jwt";

struct LogoutTokenClaims {
  std::string issuer;    // server.public_url, as in ID tokens
  std::string audience;  // the client_id
  std::string subject;   // the member's `sub`, as in ID tokens (oidc/subject.h)
  std::string sid;       // Session::sid, as in ID tokens
  std::string jti;       // random, unique per token
  TimePoint issued_at{};
  std::chrono::seconds lifetime{120};  // a delivery attempt signs afresh: short is enough
};

// The claims set: iss aud iat exp jti sub sid events.
boost::json::object logout_token_payload(const LogoutTokenClaims& claims);

// The signed compact JWT (header alg, kid, typ logout+jwt).
Result<std::string> sign_logout_token(const LogoutTokenClaims& claims, const jose::SigningKey& key,
                                      std::string_view kid);

}  // namespace portier::oidc
