#include "oidc/id_token_hint.h"

#include <boost/json/parse.hpp>

#include "oidc/jose/jws.h"

namespace portier::oidc {

namespace {

std::string text_member(const boost::json::object& o, std::string_view name) {
  auto* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

Result<IdTokenHint> verify_id_token_hint(std::string_view token, KeyRing& keys, std::string_view issuer) {
  if (token.size() > 16 * 1024) return fail(ErrorCode::InvalidInput, "id_token_hint too long");
  auto header = jose::peek_header(token);
  if (!header) return tl::unexpected(header.error());
  auto* kid = header->if_contains("kid");
  if (!kid || !kid->is_string()) return fail(ErrorCode::InvalidInput, "id_token_hint has no kid");
  // A kid we never published (or deleted long ago) is no different from a forgery.
  auto key = keys.by_kid(std::string_view(kid->as_string()));
  if (!key) return fail(ErrorCode::InvalidInput, "id_token_hint signed by an unknown key");
  auto verified = jose::verify_compact(token, *key);
  if (!verified) return tl::unexpected(verified.error());
  // Logout tokens (logout+jwt) and JWT access tokens (at+jwt) are signed by
  // the same keys but are not ID tokens; ID tokens carry no typ or "JWT".
  if (auto typ = text_member(verified->header, "typ"); !typ.empty() && typ != "JWT")
    return fail(ErrorCode::InvalidInput, "id_token_hint is not an ID token");
  boost::system::error_code ec;
  auto payload = boost::json::parse(verified->payload, ec);
  if (ec || !payload.is_object()) return fail(ErrorCode::InvalidInput, "id_token_hint payload is not a JSON object");
  auto& claims = payload.as_object();
  if (text_member(claims, "iss") != issuer) return fail(ErrorCode::InvalidInput, "id_token_hint from another issuer");
  IdTokenHint hint;
  if (auto* aud = claims.if_contains("aud")) {
    if (aud->is_string()) hint.client_id = std::string(aud->as_string());
    else if (aud->is_array() && aud->as_array().size() == 1 && aud->as_array()[0].is_string())
      hint.client_id = std::string(aud->as_array()[0].as_string());
    else if (aud->is_array()) hint.client_id = text_member(claims, "azp");
  }
  if (hint.client_id.empty()) return fail(ErrorCode::InvalidInput, "id_token_hint names no client");
  hint.subject = text_member(claims, "sub");
  hint.sid = text_member(claims, "sid");
  if (hint.subject.empty()) return fail(ErrorCode::InvalidInput, "id_token_hint has no sub");
  return hint;
}

}  // namespace portier::oidc
