#include "web/oauth_access.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "common/encoding.h"
#include "oidc/client_authentication.h"
#include "oidc/subject.h"
#include "oidc/token_service.h"

namespace portier::web {

namespace {

// RFC 6749 2.3.1: the id and the secret are form-urlencoded before they go
// into Basic; a ':' can then only be the separator.
std::optional<std::string> form_decode(std::string_view text) {
  auto parsed = Form::parse("v=" + std::string(text));
  if (!parsed || text.find('&') != std::string_view::npos) return std::nullopt;
  return parsed->get("v");
}

void read_basic(std::string_view header, oidc::PresentedCredentials& p) {
  auto scheme_end = header.find(' ');
  if (scheme_end == std::string_view::npos || ascii_lower(header.substr(0, scheme_end)) != "basic") return;
  auto encoded = trim(header.substr(scheme_end + 1));
  p.basic_malformed = true;
  if (encoded.empty() || encoded.size() > 4096) return;
  std::string decoded(encoded.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(), encoded.data(),
                        encoded.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return;
  decoded.resize(len);
  auto colon = decoded.find(':');
  if (colon == std::string::npos) return;
  auto id = form_decode(std::string_view(decoded).substr(0, colon));
  auto secret = form_decode(std::string_view(decoded).substr(colon + 1));
  if (!id || !secret || id->empty()) return;
  p.basic_malformed = false;
  p.basic_id = std::move(*id);
  p.basic_secret = std::move(*secret);
}

std::optional<std::string> field(const std::optional<Form>& form, std::string_view name) {
  if (!form || !form->has(name)) return std::nullopt;
  return form->get(name);
}

}  // namespace

const Form& form_or_empty(Exchange& ex) {
  static const Form empty;
  return ex.form() ? *ex.form() : empty;
}

std::string oidc_issuer(const Config& config) { return oidc::issuer_of(config.server.public_url); }

std::optional<http::Response> oauth_client_gate(Exchange& ex) {
  auto* auth = ex.services().oidc_client_auth;
  if (!auth) return ex.error(404);
  oidc::PresentedCredentials p;
  if (auto h = ex.request().header("authorization"); !h.empty()) read_basic(h, p);
  const auto& form = ex.form();
  p.client_id = field(form, "client_id");
  p.client_secret = field(form, "client_secret");
  p.assertion_type = field(form, "client_assertion_type");
  p.assertion = field(form, "client_assertion");
  auto client = auth->authenticate(p, oidc_issuer(ex.services().config) + ex.request().path);
  if (!client) {
    auto& why = client.error();
    if (why.unavailable) {
      spdlog::error("OAuth client authentication could not be checked on {} ({})", ex.request().path, why.reason);
      if (ex.request().path == "/token") ex.services().metrics.count_oidc_token("any", "unavailable");
      auto r = ex.oauth_error(503, "temporarily_unavailable", why.description);
      r.set_header("Retry-After", "5");
      return r;
    }
    spdlog::warn("OAuth client authentication refused on {} ({}, client '{}')", ex.request().path, why.reason,
                 why.client_id.substr(0, 64));
    ex.services().audit.record("oidc.token_refused", std::nullopt, std::nullopt, ex.client(),
                               "endpoint=" + ex.request().path + " client=" + why.client_id.substr(0, 64) +
                                   " reason=invalid_client:" + why.reason);
    if (ex.request().path == "/token") ex.services().metrics.count_oidc_token("any", "invalid_client");
    auto r = ex.oauth_error(401, "invalid_client", why.description);
    // RFC 6749 5.2: a 401 names the scheme; Basic is the one a client
    // without credentials may use, whichever method it was registered with.
    r.set_header("WWW-Authenticate", "Basic realm=\"portier\"");
    return r;
  }
  ex.set_oauth_client(std::move(*client));
  return std::nullopt;
}

std::optional<http::Response> bearer_gate(Exchange& ex) {
  auto* tokens = ex.services().oidc_tokens;
  if (!tokens) return ex.error(404);
  std::optional<std::string> token;
  bool twice = false;
  if (auto h = ex.request().header("authorization"); !h.empty()) {
    auto space = h.find(' ');
    if (space != std::string_view::npos && ascii_lower(h.substr(0, space)) == "bearer")
      token = std::string(trim(h.substr(space + 1)));
  }
  if (ex.request().method == "POST" && ex.form() && ex.form()->has("access_token")) {
    twice = token.has_value();
    token = ex.form()->get("access_token");
  }
  auto unauthorized = [&](std::string_view error, std::string_view description) {
    auto r = ex.oauth_error(401, error, description);
    r.set_header("WWW-Authenticate", "Bearer realm=\"portier\", error=\"" + std::string(error) + "\"");
    return r;
  };
  if (twice) {
    // RFC 6750 2: exactly one way per request.
    auto r = ex.oauth_error(400, "invalid_request", "the access token was sent more than one way");
    r.set_header("WWW-Authenticate", "Bearer realm=\"portier\", error=\"invalid_request\"");
    return r;
  }
  if (!token) {
    auto r = ex.oauth_error(401, "invalid_token", "no access token");
    r.set_header("WWW-Authenticate", "Bearer realm=\"portier\"");
    return r;
  }
  auto valid = tokens->validate_access_token(*token);
  if (!valid) {
    if (valid.error().status >= 500) {
      spdlog::error("bearer check: {}", valid.error().reason);
      return ex.oauth_error(valid.error().status, "server_error", valid.error().description);
    }
    return unauthorized("invalid_token", valid.error().description);
  }
  ex.set_bearer(std::move(*valid));
  return std::nullopt;
}

}  // namespace portier::web
