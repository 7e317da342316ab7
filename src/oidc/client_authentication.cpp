#include "oidc/client_authentication.h"

#include <boost/json/parse.hpp>

#include "oidc/client_secret.h"
#include "oidc/jose/base64url.h"
#include "oidc/jose/jwk_import.h"
#include "oidc/jose/jws.h"

namespace portier::oidc {

namespace {

using Refused = tl::unexpected<ClientAuthRefusal>;

Refused refused(std::string description, std::string reason, bool basic = false, std::string client_id = {}) {
  return Refused(ClientAuthRefusal{std::move(description), std::move(reason), basic, std::move(client_id)});
}

Refused unavailable(std::string reason, std::string client_id) {
  return Refused(ClientAuthRefusal{"the server could not check the client's credentials; try again", std::move(reason),
                                   false, std::move(client_id), true});
}

std::string str(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::optional<std::int64_t> number(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() < (1ULL << 62)) return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->get_double());
  return std::nullopt;
}

// The unverified payload of a compact JWS: only to learn which client it
// claims to be, before its keys verify it.
std::optional<boost::json::object> peek_payload(std::string_view jws) {
  auto first = jws.find('.');
  auto second = first == std::string_view::npos ? first : jws.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  auto bytes = jose::base64url_decode(jws.substr(first + 1, second - first - 1));
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  auto v = boost::json::parse(*bytes, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.get_object();
}

}  // namespace

ClientAuthenticator::ClientAuthenticator(ClientStore& clients, AssertionReplayCache& replay,
                                         const SecretHasher& secrets, const Clock& clock,
                                         std::vector<std::string> audiences)
    : clients_(clients), replay_(replay), secrets_(secrets), clock_(clock), audiences_(std::move(audiences)) {}

tl::expected<Client, ClientAuthRefusal> ClientAuthenticator::authenticate(const PresentedCredentials& p,
                                                                          std::string_view endpoint_url) {
  bool basic = p.basic_id.has_value() || p.basic_malformed;
  bool post = p.client_secret.has_value();
  bool jwt = p.assertion.has_value() || p.assertion_type.has_value();
  if (int(basic) + int(post) + int(jwt) > 1)
    return refused("use exactly one client authentication method", "several_methods", basic);
  if (p.basic_malformed) return refused("malformed Basic credentials", "malformed", true);
  if (jwt) return by_assertion(p, endpoint_url);

  std::string id = basic ? *p.basic_id : p.client_id.value_or("");
  if (id.empty()) return refused("no client authentication", "no_client", basic);
  // A client_id in the form must name the same client as the header.
  if (basic && p.client_id && *p.client_id != id)
    return refused("client_id differs from the authenticated client", "client_id_mismatch", true, id);
  auto client = clients_.find(id);
  if (!client) {
    if (client.error().code != ErrorCode::NotFound) return unavailable("client_store_unavailable", id);
    return refused("unknown client or wrong credentials", "unknown_client", basic, id);
  }
  auto method = client->auth_method;
  if (basic) {
    if (method != ClientAuthMethod::ClientSecretBasic)
      return refused("this client authenticates another way", "wrong_method", true, id);
    if (!client_secret_matches(secrets_, *client, p.basic_secret.value_or("")))
      return refused("unknown client or wrong credentials", "wrong_secret", true, id);
    return std::move(*client);
  }
  if (post) {
    if (method != ClientAuthMethod::ClientSecretPost)
      return refused("this client authenticates another way", "wrong_method", false, id);
    if (!client_secret_matches(secrets_, *client, *p.client_secret))
      return refused("unknown client or wrong credentials", "wrong_secret", false, id);
    return std::move(*client);
  }
  // Nothing but a client_id: only a public client (PKCE then protects its codes).
  if (method != ClientAuthMethod::None || !client->is_public)
    return refused("client authentication required", "no_credentials", false, id);
  return std::move(*client);
}

tl::expected<Client, ClientAuthRefusal> ClientAuthenticator::by_assertion(const PresentedCredentials& p,
                                                                          std::string_view endpoint_url) {
  if (p.assertion_type.value_or("") != kJwtBearerAssertionType || !p.assertion || p.assertion->empty())
    return refused("client_assertion_type must be " + std::string(kJwtBearerAssertionType) + " with a client_assertion",
                   "bad_assertion");
  const auto& assertion = *p.assertion;
  auto claimed = peek_payload(assertion);
  if (!claimed) return refused("malformed client_assertion", "bad_assertion");
  auto id = str(*claimed, "sub");
  if (id.empty() || str(*claimed, "iss") != id) return refused("client_assertion: iss and sub must be the client_id", "bad_assertion");
  if (p.client_id && *p.client_id != id) return refused("client_id differs from the assertion's", "client_id_mismatch", false, id);
  auto client = clients_.find(id);
  if (!client) {
    if (client.error().code != ErrorCode::NotFound) return unavailable("client_store_unavailable", id);
    return refused("unknown client or wrong credentials", "unknown_client", false, id);
  }
  if (client->auth_method != ClientAuthMethod::PrivateKeyJwt)
    return refused("this client authenticates another way", "wrong_method", false, id);

  auto keys = jose::public_keys_from_jwks(client->jwks);
  if (!keys || keys->empty()) return refused("the client has no usable key", "no_client_key", false, id);
  auto header = jose::peek_header(assertion);
  if (!header) return refused("malformed client_assertion", "bad_assertion", false, id);
  auto kid = str(*header, "kid");
  std::optional<jose::VerifiedJws> verified;
  for (auto& k : *keys) {
    if (!kid.empty() && !k.kid.empty() && k.kid != kid) continue;
    if (auto v = jose::verify_compact(assertion, k.key)) {
      verified = std::move(*v);
      break;
    }
  }
  if (!verified) return refused("client_assertion signature not verified by the client's keys", "bad_signature", false, id);
  boost::system::error_code ec;
  auto payload = boost::json::parse(verified->payload, ec);
  if (ec || !payload.is_object()) return refused("malformed client_assertion", "bad_assertion", false, id);
  auto& c = payload.get_object();

  // aud: the token endpoint URL or the issuer (RFC 7523 3; OIDC Core 9), or
  // the URL of the endpoint being called (introspection, revocation).
  bool aud_ok = false;
  auto aud_fits = [&](std::string_view a) {
    if (!endpoint_url.empty() && a == endpoint_url) return true;
    for (auto& ok : audiences_)
      if (a == ok) return true;
    return false;
  };
  if (auto* aud = c.if_contains("aud")) {
    if (aud->is_string()) aud_ok = aud_fits(aud->get_string());
    else if (aud->is_array())
      for (auto& a : aud->get_array())
        if (a.is_string() && aud_fits(a.get_string())) aud_ok = true;
  }
  if (!aud_ok) return refused("client_assertion: aud must be the token endpoint or the issuer", "bad_audience", false, id);
  auto now = to_unix(clock_.now());
  auto exp = number(c, "exp");
  if (!exp) return refused("client_assertion: exp is required", "no_exp", false, id);
  if (*exp <= now) return refused("client_assertion has expired", "expired_assertion", false, id);
  if (*exp > now + std::chrono::duration_cast<std::chrono::seconds>(kMaxAssertionLifetime).count())
    return refused("client_assertion: exp at most 5 minutes ahead", "assertion_too_long", false, id);
  if (auto nbf = number(c, "nbf"); nbf && *nbf > now + 60)
    return refused("client_assertion is not valid yet", "assertion_not_yet_valid", false, id);
  auto jti = str(c, "jti");
  if (jti.empty() || jti.size() > 256) return refused("client_assertion: jti is required", "no_jti", false, id);
  auto first = replay_.remember(id, jti, from_unix(*exp));
  if (!first) return unavailable("replay_cache_unavailable", id);
  if (!*first) return refused("client_assertion was already used", "assertion_replayed", false, id);
  return std::move(*client);
}

}  // namespace portier::oidc
