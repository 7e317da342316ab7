#include "oidc/logout_token.h"

#include <boost/json/serialize.hpp>

#include "oidc/jose/jws.h"

namespace portier::oidc {

boost::json::object logout_token_payload(const LogoutTokenClaims& c) {
  boost::json::object events;
  events[kBackchannelLogoutEvent] = boost::json::object();
  boost::json::object p;
  p["iss"] = c.issuer;
  p["aud"] = c.audience;
  p["iat"] = to_unix(c.issued_at);
  p["exp"] = to_unix(c.issued_at + c.lifetime);
  p["jti"] = c.jti;
  p["sub"] = c.subject;
  p["sid"] = c.sid;
  p["events"] = std::move(events);
  return p;
}

Result<std::string> sign_logout_token(const LogoutTokenClaims& claims, const jose::SigningKey& key,
                                      std::string_view kid) {
  return jose::sign_compact(key, kid, boost::json::serialize(logout_token_payload(claims)), kLogoutTokenType);
}

}  // namespace portier::oidc
