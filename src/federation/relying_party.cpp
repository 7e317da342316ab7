#include "federation/relying_party.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/encoding.h"
#include "federation/hs256.h"
#include "federation/id_token_checks.h"
#include "oidc/jose/jwk.h"
#include "oidc/jose/jws.h"

namespace portier::federation {

namespace {

Refused refuse(RefusalReason r, std::string detail) { return Refused{r, std::move(detail)}; }

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<boost::json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::string text(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  return {};
}

const std::string* find(const std::map<std::string, std::string>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? nullptr : &it->second;
}

// Error texts from the provider go to the log: bounded and printable only.
std::string bounded(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 200)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

}  // namespace

std::string form_encode(std::string_view value) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string pkce_challenge(std::string_view verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

RelyingParty::RelyingParty(FederationProviderConfig provider, HttpFetcher& http, const Clock& clock, Random& random)
    : provider_(std::move(provider)), http_(http), clock_(clock), random_(random), keys_(http, clock) {
  if (provider_.uses_private_key()) {
    // The configuration checked the file's kind against the algorithm; a
    // failure here is reported at the token exchange, never a crash.
    auto alg = oidc::jose::parse_alg(provider_.client_signing_alg.empty() ? "RS256" : provider_.client_signing_alg);
    auto key = alg ? oidc::jose::SigningKey::from_pem(*alg, provider_.client_private_key_pem)
                   : Result<oidc::jose::SigningKey>(fail(ErrorCode::InvalidInput, "unknown client_signing_alg"));
    if (key && key->has_private()) client_key_ = std::move(*key);
    else client_key_problem_ = key ? "client_private_key_file holds no private key" : key.error().detail;
  }
}

Result<boost::json::object> RelyingParty::client_public_jwk() const {
  if (!client_key_)
    return fail(ErrorCode::InvalidInput, client_key_problem_.empty() ? "no client private key" : client_key_problem_);
  auto kid = oidc::jose::jwk_thumbprint(*client_key_);
  if (!kid) return tl::unexpected(kid.error());
  return oidc::jose::public_jwk(*client_key_, *kid);
}

Result<std::string> RelyingParty::client_assertion(const std::string& token_endpoint) {
  if (!client_key_)
    return fail(ErrorCode::InvalidInput, client_key_problem_.empty() ? "no client private key" : client_key_problem_);
  auto kid = oidc::jose::jwk_thumbprint(*client_key_);
  if (!kid) return tl::unexpected(kid.error());
  auto now = to_unix(clock_.now());
  boost::json::object claims{{"iss", provider_.client_id},
                             {"sub", provider_.client_id},
                             {"aud", token_endpoint},
                             {"jti", random_.token(32)},
                             {"iat", now},
                             {"exp", now + kAssertionLifetime.count()}};
  return oidc::jose::sign_compact(*client_key_, *kid, boost::json::serialize(claims), "JWT");
}

Result<std::string> RelyingParty::logout_url(const std::string& id_token_hint, const std::string& post_logout_redirect_uri,
                                             const std::string& state) {
  auto m = metadata();
  if (!m) return tl::unexpected(m.error());
  if (m->end_session_endpoint.empty())
    return fail(ErrorCode::NotFound, "the provider announces no end_session_endpoint");
  std::string url = m->end_session_endpoint;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "client_id=" + form_encode(provider_.client_id);
  if (!id_token_hint.empty()) url += "&id_token_hint=" + form_encode(id_token_hint);
  if (!post_logout_redirect_uri.empty()) url += "&post_logout_redirect_uri=" + form_encode(post_logout_redirect_uri);
  if (!state.empty()) url += "&state=" + form_encode(state);
  return url;
}

Result<ProviderMetadata> RelyingParty::metadata() {
  std::lock_guard lock(mutex_);
  if (metadata_ && clock_.now() - metadata_at_ < kDiscoveryMaxAge) return *metadata_;
  auto answer = http_.fetch(HttpCall{"GET", provider_.discovery_url, {{"Accept", "application/json"}}, {}});
  if (!answer) return tl::unexpected(answer.error());
  if (answer->status != 200)
    return fail(ErrorCode::Unavailable, "discovery_url answered HTTP " + std::to_string(answer->status));
  auto parsed = parse_provider_metadata(answer->body, provider_.issuer);
  if (!parsed) return tl::unexpected(parsed.error());
  metadata_ = *parsed;
  metadata_at_ = clock_.now();
  return *metadata_;
}

Result<std::size_t> RelyingParty::refresh_keys() {
  auto m = metadata();
  if (!m) return tl::unexpected(m.error());
  return keys_.refresh(m->jwks_uri);
}

Result<AuthorizationStart> RelyingParty::begin(const std::string& redirect_uri) {
  auto m = metadata();
  if (!m) return tl::unexpected(m.error());
  PendingLogin kept;
  kept.provider = provider_.id;
  kept.state = random_.token(32);
  kept.nonce = random_.token(32);
  kept.code_verifier = random_.token(32);  // 43 characters of base64url: RFC 7636's minimum length, 256 bits
  kept.redirect_uri = redirect_uri;
  kept.acr_values = provider_.acr_values;
  kept.issued_at = clock_.now();
  std::string url = m->authorization_endpoint;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "response_type=code&client_id=" + form_encode(provider_.client_id) +
         "&redirect_uri=" + form_encode(redirect_uri) + "&scope=" + form_encode(provider_.scopes) +
         "&state=" + kept.state + "&nonce=" + kept.nonce + "&code_challenge=" + pkce_challenge(kept.code_verifier) +
         "&code_challenge_method=S256";
  if (!kept.acr_values.empty()) url += "&acr_values=" + form_encode(kept.acr_values);
  return AuthorizationStart{std::move(url), std::move(kept)};
}

FinishOutcome RelyingParty::finish(const PendingLogin& kept, const std::map<std::string, std::string>& answer) {
  // Not ours, or stale: judged before anything the answer says is believed.
  const auto* state = find(answer, "state");
  if (kept.provider != provider_.id || !state || kept.state.empty() || *state != kept.state)
    return refuse(RefusalReason::State, state ? "state differs" : "state is missing");
  if (clock_.now() - kept.issued_at > kLoginLifetime) return refuse(RefusalReason::Expired, "the sign-in was started too long ago");
  auto m = metadata();
  if (!m) {
    auto reason = m.error().code == ErrorCode::Unavailable ? RefusalReason::Unavailable : RefusalReason::Discovery;
    return refuse(reason, m.error().detail);
  }
  // RFC 9207: the answer names its issuer, so an answer from another provider
  // (mix-up attack) is told apart. Required where announced, checked where sent.
  const auto* iss = find(answer, "iss");
  if ((m->iss_parameter_supported && !iss) || (iss && *iss != m->issuer))
    return refuse(RefusalReason::IssParameter, iss ? "iss is \"" + bounded(*iss) + "\"" : "iss is missing");
  if (const auto* error = find(answer, "error")) {
    const auto* description = find(answer, "error_description");
    return refuse(RefusalReason::ProviderError, bounded(*error) + (description ? ": " + bounded(*description) : ""));
  }
  const auto* code = find(answer, "code");
  if (!code || code->empty()) return refuse(RefusalReason::NoCode, "the answer has no code");

  auto tokens = exchange_code(*m, kept, *code);
  if (auto* r = std::get_if<Refused>(&tokens)) return *r;
  const auto& t = std::get<Tokens>(tokens);

  auto id_claims = verify_id_token(*m, t.id_token);
  if (auto* r = std::get_if<Refused>(&id_claims)) return *r;
  auto& idc = std::get<boost::json::object>(id_claims);
  IdTokenExpectations expected{m->issuer, provider_.client_id, kept.nonce, split_words(kept.acr_values), clock_.now()};
  if (auto refused = check_id_token_claims(idc, expected)) return *refused;

  FederatedIdentity who;
  who.provider = provider_.id;
  who.issuer = m->issuer;
  who.subject = text(idc, "sub");
  who.acr = text(idc, "acr");
  who.id_token = t.id_token;
  who.claims = idc;
  if (!m->userinfo_endpoint.empty()) {
    auto info = fetch_userinfo(*m, t.access_token);
    if (auto* r = std::get_if<Refused>(&info)) return *r;
    auto& claims = std::get<boost::json::object>(info);
    // UserInfo answers for whoever holds the access token: its sub must be
    // the ID token's, or another person's claims could be substituted.
    if (text(claims, "sub") != who.subject)
      return refuse(RefusalReason::UserInfoSubject, "UserInfo's sub is not the ID token's");
    who.claims = std::move(claims);
  }
  auto claim = [&](const char* key) {
    auto v = text(who.claims, key);
    return v.empty() ? text(idc, key) : v;
  };
  who.person_id = claim(provider_.subject_claim.c_str());
  if (who.person_id.empty()) return refuse(RefusalReason::SubjectClaim, provider_.subject_claim + " is missing");
  who.given_name = claim(provider_.given_name_claim.empty() ? "given_name" : provider_.given_name_claim.c_str());
  who.family_name = claim(provider_.family_name_claim.empty() ? "family_name" : provider_.family_name_claim.c_str());
  who.email = claim(provider_.email_claim.empty() ? "email" : provider_.email_claim.c_str());
  return who;
}

std::variant<RelyingParty::Tokens, Refused> RelyingParty::exchange_code(const ProviderMetadata& m,
                                                                         const PendingLogin& kept,
                                                                         const std::string& code) {
  HttpCall call{"POST", m.token_endpoint, {{"Accept", "application/json"}}, {}};
  call.body = "grant_type=authorization_code&code=" + form_encode(code) + "&redirect_uri=" + form_encode(kept.redirect_uri) +
              "&code_verifier=" + form_encode(kept.code_verifier);
  auto method = m.client_auth_method(provider_.client_auth);
  if (!method) return refuse(RefusalReason::Discovery, method.error().detail);
  if (*method == "private_key_jwt") {
    // RFC 7523 §2.2 / OIDC Core §9: a fresh assertion for this one request.
    auto assertion = client_assertion(m.token_endpoint);
    if (!assertion) return refuse(RefusalReason::TokenExchange, "client assertion: " + assertion.error().detail);
    call.body += "&client_id=" + form_encode(provider_.client_id) +
                 "&client_assertion_type=" + form_encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
                 "&client_assertion=" + *assertion;
  } else if (*method == "client_secret_basic") {
    // RFC 6749 §2.3.1: each part form-encoded before base64.
    call.headers.emplace_back("Authorization",
                              "Basic " + base64(form_encode(provider_.client_id) + ":" + form_encode(provider_.client_secret)));
  } else {
    call.body += "&client_id=" + form_encode(provider_.client_id) + "&client_secret=" + form_encode(provider_.client_secret);
  }
  auto answer = http_.fetch(call);
  if (!answer) return refuse(RefusalReason::Unavailable, answer.error().detail);
  auto body = parse_object(answer->body);
  if (answer->status != 200) {
    auto error = body ? text(*body, "error") : std::string();
    return refuse(RefusalReason::TokenExchange,
                  "token endpoint answered HTTP " + std::to_string(answer->status) + (error.empty() ? "" : " " + bounded(error)));
  }
  if (!body) return refuse(RefusalReason::TokenExchange, "token answer is not a JSON object");
  Tokens t{text(*body, "id_token"), text(*body, "access_token")};
  if (t.id_token.empty()) return refuse(RefusalReason::TokenExchange, "token answer has no id_token");
  if (t.access_token.empty()) return refuse(RefusalReason::TokenExchange, "token answer has no access_token");
  if (ascii_lower(text(*body, "token_type")) != "bearer")
    return refuse(RefusalReason::TokenExchange, "token_type is not Bearer");
  return t;
}

std::variant<boost::json::object, Refused> RelyingParty::verify_id_token(const ProviderMetadata& m,
                                                                          const std::string& token) {
  auto header = oidc::jose::peek_header(token);
  if (!header) return refuse(RefusalReason::Signature, "the ID token is not a JWS");
  auto kid = text(*header, "kid");
  auto alg = text(*header, "alg");
  // ID tokens are verified with the provider's published keys only: an
  // HS256 token would be checked with a secret we share with the provider.
  if (!oidc::jose::parse_alg(alg)) return refuse(RefusalReason::Signature, "ID token alg \"" + bounded(alg) + "\" not accepted");
  auto key = keys_.key_for(m.jwks_uri, kid, alg);
  if (!key) {
    auto reason = key.error().code == ErrorCode::Unavailable ? RefusalReason::Unavailable : RefusalReason::Signature;
    return refuse(reason, key.error().detail);
  }
  auto verified = oidc::jose::verify_compact(token, *key);
  if (!verified) return refuse(RefusalReason::Signature, "ID token: " + verified.error().detail);
  auto claims = parse_object(verified->payload);
  if (!claims) return refuse(RefusalReason::Signature, "ID token payload is not a JSON object");
  return std::move(*claims);
}

std::variant<boost::json::object, Refused> RelyingParty::fetch_userinfo(const ProviderMetadata& m,
                                                                         const std::string& access_token) {
  auto answer = http_.fetch(HttpCall{"GET", m.userinfo_endpoint,
                                     {{"Authorization", "Bearer " + access_token}, {"Accept", "application/json, application/jwt"}},
                                     {}});
  if (!answer) return refuse(RefusalReason::Unavailable, answer.error().detail);
  if (answer->status != 200)
    return refuse(RefusalReason::UserInfo, "UserInfo answered HTTP " + std::to_string(answer->status));
  if (answer->content_type != "application/jwt") {
    auto claims = parse_object(answer->body);
    if (!claims) return refuse(RefusalReason::UserInfo, "UserInfo is not a JSON object");
    return std::move(*claims);
  }
  // A signed UserInfo (Core §5.3.2): by the provider's key named by kid, or
  // HS256 under the client secret, as PSC may do.
  std::string body = std::string(trim(answer->body));
  auto header = oidc::jose::peek_header(body);
  if (!header) return refuse(RefusalReason::UserInfo, "UserInfo JWT is not a JWS");
  auto alg = text(*header, "alg");
  std::string payload;
  if (alg == "HS256") {
    auto verified = verify_hs256(body, provider_.client_secret);
    if (!verified) return refuse(RefusalReason::UserInfo, "UserInfo JWT: " + verified.error().detail);
    payload = std::move(verified->payload);
  } else {
    if (!oidc::jose::parse_alg(alg)) return refuse(RefusalReason::UserInfo, "UserInfo alg \"" + bounded(alg) + "\" not accepted");
    auto key = keys_.key_for(m.jwks_uri, text(*header, "kid"), alg);
    if (!key) return refuse(RefusalReason::UserInfo, "UserInfo JWT: " + key.error().detail);
    auto verified = oidc::jose::verify_compact(body, *key);
    if (!verified) return refuse(RefusalReason::UserInfo, "UserInfo JWT: " + verified.error().detail);
    payload = std::move(verified->payload);
  }
  auto claims = parse_object(payload);
  if (!claims) return refuse(RefusalReason::UserInfo, "UserInfo JWT payload is not a JSON object");
  // Core §5.3.2: a signed answer SHOULD name its issuer and audience; when it does, they must be right.
  if (claims->contains("iss") && text(*claims, "iss") != m.issuer)
    return refuse(RefusalReason::UserInfo, "UserInfo JWT iss is another issuer");
  if (const auto* aud = claims->if_contains("aud")) {
    bool ours = aud->is_string() && aud->as_string() == provider_.client_id;
    if (aud->is_array())
      for (const auto& a : aud->as_array()) ours = ours || (a.is_string() && a.as_string() == provider_.client_id);
    if (!ours) return refuse(RefusalReason::UserInfo, "UserInfo JWT aud is not us");
  }
  return std::move(*claims);
}

}  // namespace portier::federation
