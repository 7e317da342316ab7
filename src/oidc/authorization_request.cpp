#include "oidc/authorization_request.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "oidc/scope.h"

namespace portier::oidc {

namespace {

// Parameters the provider knows; anything else is ignored (Core 3.1.2.1).
constexpr std::size_t kMaxValue = 2048;



bool base64url_chars(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// The claim names asked for under `member` of the claims parameter.
bool claim_names(const boost::json::object& claims, std::string_view member, std::vector<std::string>& out) {
  auto it = claims.find(member);
  if (it == claims.end()) return true;
  if (!it->value().is_object()) return false;
  for (const auto& [name, spec] : it->value().as_object()) {
    if (!spec.is_null() && !spec.is_object()) return false;
    out.emplace_back(name);
  }
  return true;
}

boost::json::array to_array(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::vector<std::string> from_array(const boost::json::value* v) {
  std::vector<std::string> out;
  if (v && v->is_array())
    for (const auto& s : v->as_array())
      if (s.is_string()) out.emplace_back(s.as_string());
  return out;
}

}  // namespace

std::optional<std::string> single(const Parameters& params, std::string_view name, bool* repeated) {
  std::optional<std::string> found;
  for (const auto& [k, v] : params) {
    if (k != name) continue;
    if (found) {
      if (repeated) *repeated = true;
      return std::nullopt;
    }
    found = v;
  }
  // An empty value is an absent one (RFC 6749 3.1).
  if (found && found->empty()) return std::nullopt;
  return found;
}

ReadOutcome read_authorization_request(const Parameters& params, const Client* client) {
  bool repeated = false;
  auto client_id = single(params, "client_id", &repeated);
  if (!client_id || repeated) return UntrustedRequest{"missing_client_id"};
  if (!client) return UntrustedRequest{"unknown_client"};
  auto redirect_uri = single(params, "redirect_uri", &repeated);
  if (!redirect_uri || repeated) return UntrustedRequest{"missing_redirect_uri"};
  // Exact string comparison (OAuth 2.1 4.1.1; no pattern, no normalisation).
  if (!contains(client->redirect_uris, *redirect_uri)) return UntrustedRequest{"redirect_uri_mismatch"};
  if (!contains(client->grant_types, "authorization_code")) return UntrustedRequest{"client_without_code_grant"};

  RedirectableError err;
  err.redirect_uri = *redirect_uri;
  auto state = single(params, "state", &repeated);
  if (state) err.state = state->substr(0, kMaxValue);
  auto fail = [&](std::string code, std::string description) {
    err.error = std::move(code);
    err.description = std::move(description);
    return err;
  };
  // The response mode first: errors travel by it too.
  auto mode = single(params, "response_mode", &repeated);
  if (mode && *mode == "form_post") err.response_mode = ResponseMode::FormPost;
  else if (mode && *mode != "query") return fail("invalid_request", "response_mode must be query or form_post");

  for (const char* name : {"client_id", "redirect_uri", "response_type", "response_mode", "state", "nonce", "scope",
                           "code_challenge", "code_challenge_method", "prompt", "max_age", "login_hint",
                           "ui_locales", "acr_values", "id_token_hint", "claims"}) {
    bool again = false;
    (void)single(params, name, &again);
    if (again) return fail("invalid_request", std::string(name) + " is repeated");
  }
  if (single(params, "request")) return fail("request_not_supported", "request objects are not supported");
  if (single(params, "request_uri")) return fail("request_uri_not_supported", "request_uri is not supported");
  if (single(params, "registration")) return fail("registration_not_supported", "registration is not supported");

  auto response_type = single(params, "response_type");
  if (!response_type) return fail("invalid_request", "response_type is required");
  if (*response_type != "code") return fail("unsupported_response_type", "only the code flow is offered");

  AuthorizationRequest req;
  req.client_id = *client_id;
  req.redirect_uri = *redirect_uri;
  req.response_mode = err.response_mode;
  req.state = err.state;
  if (state && state->size() > kMaxValue) return fail("invalid_request", "state is too long");

  auto scope = split_words(single(params, "scope").value_or(""));
  if (!contains(scope, "openid")) return fail("invalid_scope", "the openid scope is required");
  req.scopes.push_back("openid");
  for (const auto& s : scope)
    if (s != "openid" && contains(client->scopes, s) && !contains(req.scopes, s)) req.scopes.push_back(s);

  if (auto nonce = single(params, "nonce")) {
    if (nonce->size() > kMaxValue) return fail("invalid_request", "nonce is too long");
    req.nonce = *nonce;
  }

  auto challenge = single(params, "code_challenge");
  auto method = single(params, "code_challenge_method");
  if (challenge) {
    if (method.value_or("plain") != "S256") return fail("invalid_request", "code_challenge_method must be S256");
    if (challenge->size() != 43 || !base64url_chars(*challenge))
      return fail("invalid_request", "code_challenge must be a base64url SHA-256");
    req.code_challenge = *challenge;
  } else if (client->is_public || client->require_pkce) {
    return fail("invalid_request", "code_challenge (PKCE S256) is required");
  } else if (method) {
    return fail("invalid_request", "code_challenge_method without code_challenge");
  }

  for (const auto& p : split_words(single(params, "prompt").value_or(""))) {
    if (p == "none") req.prompt_none = true;
    else if (p == "login") req.prompt_login = true;
    else if (p == "consent") req.prompt_consent = true;
    else if (p == "select_account") continue;  // one account per browser session: nothing to choose
    else return fail("invalid_request", "unknown prompt value " + p.substr(0, 20));
  }
  if (req.prompt_none && (req.prompt_login || req.prompt_consent))
    return fail("invalid_request", "prompt=none cannot be combined");

  if (auto max_age = single(params, "max_age")) {
    long long v = -1;
    auto [end, ec] = std::from_chars(max_age->data(), max_age->data() + max_age->size(), v);
    if (ec != std::errc() || end != max_age->data() + max_age->size() || v < 0)
      return fail("invalid_request", "max_age must be a number of seconds");
    req.max_age = v;
  }
  if (auto hint = single(params, "login_hint")) req.login_hint = hint->substr(0, 254);
  req.ui_locales = split_words(single(params, "ui_locales").value_or("").substr(0, 200));
  req.acr_values = split_words(single(params, "acr_values").value_or("").substr(0, kMaxValue));
  if (auto hint = single(params, "id_token_hint")) {
    if (hint->size() > 8192) return fail("invalid_request", "id_token_hint is too long");
    req.id_token_hint = *hint;
  }
  if (auto claims = single(params, "claims")) {
    boost::system::error_code ec;
    auto v = boost::json::parse(*claims, ec);
    if (ec || !v.is_object() || !claim_names(v.as_object(), "id_token", req.id_token_claims) ||
        !claim_names(v.as_object(), "userinfo", req.userinfo_claims))
      return fail("invalid_request", "claims is not a valid claims request");
  }
  return req;
}

std::string AuthorizationRequest::to_json() const {
  boost::json::object o{{"client_id", client_id},
                        {"redirect_uri", redirect_uri},
                        {"response_mode", response_mode == ResponseMode::FormPost ? "form_post" : "query"},
                        {"state", state},
                        {"nonce", nonce},
                        {"scopes", to_array(scopes)},
                        {"code_challenge", code_challenge},
                        {"prompt_none", prompt_none},
                        {"prompt_login", prompt_login},
                        {"prompt_consent", prompt_consent},
                        {"login_hint", login_hint},
                        {"ui_locales", to_array(ui_locales)},
                        {"acr_values", to_array(acr_values)},
                        {"id_token_hint", id_token_hint},
                        {"id_token_claims", to_array(id_token_claims)},
                        {"userinfo_claims", to_array(userinfo_claims)}};
  if (max_age) o["max_age"] = *max_age;
  return boost::json::serialize(o);
}

std::optional<AuthorizationRequest> AuthorizationRequest::from_json(std::string_view json) {
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  auto text = [&](const char* k) -> std::string {
    auto p = o.if_contains(k);
    return p && p->is_string() ? std::string(p->as_string()) : std::string();
  };
  auto flag = [&](const char* k) {
    auto p = o.if_contains(k);
    return p && p->is_bool() && p->as_bool();
  };
  AuthorizationRequest r;
  r.client_id = text("client_id");
  r.redirect_uri = text("redirect_uri");
  r.response_mode = text("response_mode") == "form_post" ? ResponseMode::FormPost : ResponseMode::Query;
  r.state = text("state");
  r.nonce = text("nonce");
  r.scopes = from_array(o.if_contains("scopes"));
  r.code_challenge = text("code_challenge");
  r.prompt_none = flag("prompt_none");
  r.prompt_login = flag("prompt_login");
  r.prompt_consent = flag("prompt_consent");
  if (auto p = o.if_contains("max_age"); p && p->is_int64()) r.max_age = p->as_int64();
  r.login_hint = text("login_hint");
  r.ui_locales = from_array(o.if_contains("ui_locales"));
  r.acr_values = from_array(o.if_contains("acr_values"));
  r.id_token_hint = text("id_token_hint");
  r.id_token_claims = from_array(o.if_contains("id_token_claims"));
  r.userinfo_claims = from_array(o.if_contains("userinfo_claims"));
  if (r.client_id.empty() || r.redirect_uri.empty()) return std::nullopt;
  return r;
}

}  // namespace portier::oidc
