#include "oidc/client_rules.h"

#include <algorithm>
#include <cctype>
#include <boost/json/parse.hpp>
#include <set>

#include "config/loopback.h"
#include "oidc/authentication_context.h"

namespace portier::oidc {

namespace {

bool contains(const std::vector<std::string>& set, std::string_view value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

std::string acr_list() {
  std::string out;
  for (const auto& v : supported_acr_values()) out += (out.empty() ? "" : ", ") + v;
  return out;
}

bool has_grant(const Client& c, std::string_view grant) { return contains(c.grant_types, grant); }

// Characters, not bytes: a French name with accents is as long as it reads.
std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The members that make a JWK private (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037).
const char* const kPrivateMembers[] = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};

// A JWK Set of public signature keys: {"keys":[{kty RSA n e | EC crv x y |
// OKP crv x}…]}, at least one, none with a private member. The keys
// themselves are imported by the token endpoint (private_key_jwt); this
// checks the shape an administrator can get wrong (a private key pasted in).
std::optional<std::pair<std::string, std::string>> jwks_problem(std::string_view text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) return std::pair{"jwks_syntax", "the JWK Set is not a JSON object"};
  auto* keys = value.as_object().if_contains("keys");
  if (!keys || !keys->is_array() || keys->as_array().empty())
    return std::pair{"jwks_empty", "the JWK Set has no \"keys\" array with at least one key"};
  for (auto& k : keys->as_array()) {
    if (!k.is_object()) return std::pair{"jwks_syntax", "a member of \"keys\" is not a JSON object"};
    auto& o = k.as_object();
    for (auto* m : kPrivateMembers)
      if (o.contains(m))
        return std::pair{"jwks_private", std::string("a key of the JWK Set has the private member \"") + m +
                                             "\": give only public keys"};
    auto str = [&](const char* name) {
      auto* v = o.if_contains(name);
      return v && v->is_string() && !v->as_string().empty();
    };
    auto* kty = o.if_contains("kty");
    std::string type = kty && kty->is_string() ? std::string(kty->as_string()) : "";
    bool ok = (type == "RSA" && str("n") && str("e")) || (type == "EC" && str("crv") && str("x") && str("y")) ||
              (type == "OKP" && str("crv") && str("x"));
    if (!ok)
      return std::pair{"jwks_key", "a key of the JWK Set is not a complete RSA, EC or OKP public key"};
  }
  return std::nullopt;
}

// An audience: an absolute URI (https://api.example.org, urn:…).
bool is_absolute_uri(std::string_view s) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s.substr(0, colon))
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  return std::none_of(s.begin(), s.end(), [](char c) { return c == ' ' || static_cast<unsigned char>(c) < 0x21; });
}

// More would be a mistake (a file pasted in the wrong box), and every
// authorization request compares against the list.
constexpr std::size_t kMaxUris = 20;

void check_uris(std::vector<ClientProblem>& out, const std::vector<std::string>& uris, const char* field,
                const char* what) {
  if (uris.size() > kMaxUris)
    out.push_back({field, "uri_too_many", "at most 20 of " + std::string(what) + "s"});
  std::set<std::string_view> seen;
  for (auto& uri : uris) {
    if (auto code = uri_problem(uri); !code.empty()) {
      static const std::pair<const char*, const char*> kWhy[] = {
          {"uri_syntax", "is not an absolute http(s) URI"},
          {"uri_scheme", "must use https (http only on 127.0.0.1, [::1] or localhost)"},
          {"uri_fragment", "must not have a fragment (#…)"},
          {"uri_userinfo", "must not have a user name or password before the host"},
          {"uri_wildcard", "must be an exact address: no wildcard (*)"},
      };
      std::string why = "is not valid";
      for (auto& [c, w] : kWhy)
        if (code == c) why = w;
      out.push_back({field, code, std::string(what) + " '" + uri + "' " + why, uri});
    } else if (!seen.insert(uri).second) {
      out.push_back({field, "uri_duplicate", std::string(what) + " '" + uri + "' is given twice", uri});
    }
  }
}

}  // namespace

const std::vector<std::string>& known_scopes() {
  static const std::vector<std::string> kScopes{"openid", "profile", "email", "phone", "offline_access", "rpps",
                                                "roles"};
  return kScopes;
}

const std::vector<std::string>& known_grant_types() {
  static const std::vector<std::string> kGrants{"authorization_code", "refresh_token", "client_credentials"};
  return kGrants;
}

const std::vector<std::string>& known_claims() {
  // OpenID Connect Core §5.1 claims portier can know of a member, and the
  // network's own (`rpps`, `roles`).
  static const std::vector<std::string> kClaims{
      "name",         "given_name",   "family_name",           "preferred_username", "locale", "updated_at",
      "email",        "email_verified", "phone_number",        "phone_number_verified", "rpps", "roles"};
  return kClaims;
}

const std::vector<std::string>& known_id_token_algs() {
  static const std::vector<std::string> kAlgs{"RS256", "ES256", "EdDSA"};
  return kAlgs;
}

std::string uri_problem(std::string_view uri) {
  if (uri.empty() || uri.size() > 2000 || has_control(uri) || uri.find(' ') != std::string_view::npos)
    return "uri_syntax";
  auto sep = uri.find("://");
  if (sep == std::string_view::npos) return "uri_syntax";
  auto scheme = ascii_lower(uri.substr(0, sep));
  if (scheme != "https" && scheme != "http") return scheme.empty() ? "uri_syntax" : "uri_scheme";
  auto rest = uri.substr(sep + 3);
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) return "uri_userinfo";
  auto host = url_host(uri);
  if (host.empty()) return "uri_syntax";
  // After the host, nothing or ":port" (decimal).
  std::string_view port_part;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return "uri_syntax";
    port_part = authority.substr(close + 1);
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    port_part = authority.substr(colon);
  }
  if (!port_part.empty()) {
    auto port = port_part.substr(1);
    if (port_part.front() != ':' || port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return "uri_syntax";
  }
  if (uri.find('*') != std::string_view::npos) return "uri_wildcard";
  if (uri.find('#') != std::string_view::npos) return "uri_fragment";
  if (scheme == "http" && !is_loopback_host(host)) return "uri_scheme";
  return {};
}

std::vector<ClientProblem> check_client(const Client& c) {
  std::vector<ClientProblem> out;
  auto name_length = utf8_length(c.name);
  if (name_length < 1 || name_length > 100 || c.name.find_first_not_of(' ') == std::string::npos)
    out.push_back({"name", "name_length", "the name must have 1 to 100 characters"});
  else if (has_control(c.name))
    out.push_back({"name", "name_control", "the name must be one line of text"});

  if (c.grant_types.empty())
    out.push_back({"grant_types", "grant_none", "the client needs at least one grant type"});
  std::set<std::string_view> grants;
  for (auto& g : c.grant_types) {
    if (!contains(known_grant_types(), g))
      out.push_back({"grant_types", "grant_unknown",
                     "grant type '" + g + "' is not one of authorization_code, refresh_token, client_credentials", g});
    else if (!grants.insert(g).second)
      out.push_back({"grant_types", "grant_duplicate", "grant type '" + g + "' is given twice"});
  }
  if (has_grant(c, "refresh_token") && !has_grant(c, "authorization_code"))
    out.push_back({"grant_types", "grant_refresh_alone", "refresh_token needs authorization_code"});

  if (has_grant(c, "authorization_code") && c.redirect_uris.empty())
    out.push_back({"redirect_uris", "redirect_uri_required", "a client signing members in needs a redirect URI"});
  check_uris(out, c.redirect_uris, "redirect_uris", "redirect URI");
  check_uris(out, c.post_logout_redirect_uris, "post_logout_redirect_uris", "post-logout redirect URI");
  if (!c.backchannel_logout_uri.empty()) {
    std::vector<std::string> one{c.backchannel_logout_uri};
    check_uris(out, one, "backchannel_logout_uri", "back-channel logout URI");
  }

  if (!c.minimum_acr.empty() && !contains(supported_acr_values(), c.minimum_acr))
    out.push_back({"minimum_acr", "minimum_acr_unknown",
                   "minimum acr '" + c.minimum_acr + "' is not one of " + acr_list(), c.minimum_acr});

  if (c.is_public) {
    if (c.auth_method != ClientAuthMethod::None)
      out.push_back({"auth_method", "public_auth_method",
                     "a public client has no secret: its authentication method is none"});
    if (!c.require_pkce) out.push_back({"require_pkce", "public_pkce", "a public client must use PKCE"});
    if (has_grant(c, "client_credentials"))
      out.push_back({"grant_types", "public_client_credentials", "a public client cannot use client_credentials"});
  } else if (c.auth_method == ClientAuthMethod::None) {
    out.push_back({"auth_method", "confidential_auth_none",
                   "a confidential client authenticates: client_secret_basic, client_secret_post or private_key_jwt"});
  }

  if (c.auth_method == ClientAuthMethod::PrivateKeyJwt) {
    if (c.jwks.empty())
      out.push_back({"jwks", "jwks_required", "private_key_jwt needs the client's JWK Set (public keys)"});
    else if (auto p = jwks_problem(c.jwks))
      out.push_back({"jwks", p->first, p->second});
  } else if (!c.jwks.empty()) {
    out.push_back({"jwks", "jwks_unused", "a JWK Set is only for private_key_jwt clients"});
  }

  if (!contains(known_id_token_algs(), c.id_token_alg))
    out.push_back({"id_token_alg", "id_token_alg_unknown",
                   "ID token algorithm '" + c.id_token_alg + "' is not one of RS256, ES256, EdDSA", c.id_token_alg});

  std::set<std::string_view> scopes;
  for (auto& s : c.scopes) {
    if (!contains(known_scopes(), s))
      out.push_back({"scopes", "scope_unknown",
                     "scope '" + s + "' is not one of openid, profile, email, phone, offline_access, rpps, roles", s});
    else if (!scopes.insert(s).second)
      out.push_back({"scopes", "scope_duplicate", "scope '" + s + "' is given twice"});
  }
  if (has_grant(c, "authorization_code") && !scopes.contains("openid"))
    out.push_back({"scopes", "scope_openid", "a client signing members in needs the openid scope"});

  std::set<std::string_view> claims;
  for (auto& claim : c.id_token_claims) {
    if (!contains(known_claims(), claim))
      out.push_back({"id_token_claims", "claim_unknown", "claim '" + claim + "' is not a claim portier issues", claim});
    else if (!claims.insert(claim).second)
      out.push_back({"id_token_claims", "claim_duplicate", "claim '" + claim + "' is given twice"});
  }

  if (!c.access_token_audience.empty() &&
      (c.access_token_audience.size() > 300 || !is_absolute_uri(c.access_token_audience)))
    out.push_back({"access_token_audience", "audience_syntax",
                   "the access token audience must be an absolute URI (https://api.example.org, urn:…)"});
  return out;
}

std::string describe(const std::vector<ClientProblem>& problems) {
  std::string out;
  for (auto& p : problems) out += p.field + ": " + p.message + "\n";
  return out;
}

}  // namespace portier::oidc
