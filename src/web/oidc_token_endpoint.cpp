// POST /token (RFC 6749 3.2, OIDC Core 3.1.3): the client is already
// authenticated by the router (Access::OAuthClient); this turns the form
// into a TokenService call and its outcome into JSON, audits and counts it.
#include <spdlog/spdlog.h>

#include "oidc/token_service.h"
#include "web/oauth_access.h"
#include "web/pages.h"

namespace portier::web {

namespace {

// Grant types as metric labels: a fixed set, whatever the client sends.
std::string grant_label(std::string_view grant) {
  if (grant == "authorization_code" || grant == "refresh_token" || grant == "client_credentials")
    return std::string(grant);
  return "other";
}

std::optional<std::string> optional_field(const Form& form, std::string_view name) {
  if (!form.has(name) || form.get(name).empty()) return std::nullopt;
  return form.get(name);
}

}  // namespace

http::Response oidc_token(Exchange& ex) {
  auto* tokens = ex.services().oidc_tokens;
  if (!tokens || !ex.oauth_client()) return ex.error(404);
  const auto& client = *ex.oauth_client();
  const auto& form = form_or_empty(ex);
  auto& svc = ex.services();
  const auto& grant = form.get("grant_type");
  auto label = grant_label(grant);

  auto refused = [&](const oidc::Refusal& r) {
    // Fixed words only, in metrics and the audit log; a server error's
    // detail goes to the log alone.
    bool internal = r.error == "server_error";
    if (internal) spdlog::error("token endpoint ({}): {}", label, r.reason);
    std::string outcome = internal ? "error" : (r.reason == "code_reused" || r.reason == "refresh_reused") ? r.reason : r.error;
    svc.metrics.count_oidc_token(label, outcome);
    std::string event = r.reason == "code_reused"      ? "oidc.code_reused"
                        : r.reason == "refresh_reused" ? "oidc.refresh_reused"
                                                       : "oidc.token_refused";
    svc.audit.record(event, std::nullopt, std::nullopt, ex.client(),
                     "client=" + client.client_id + " grant=" + label + " reason=" + r.error + ":" +
                         (internal ? std::string("server") : r.reason));
    return ex.oauth_error(r.status, r.error, r.description);
  };
  auto bad_request = [&](std::string description) {
    return refused(oidc::Refusal{400, "invalid_request", std::move(description), "invalid_request"});
  };

  // RFC 6749 3.2: a parameter appears at most once.
  for (auto name : {"grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "scope", "client_id",
                    "client_secret", "client_assertion", "client_assertion_type"})
    if (form.get_all(name).size() > 1) return bad_request(std::string(name) + " is repeated");

  // The grant's audit event goes into the access token's transaction (one
  // durable commit per grant, shared with concurrent grants by the group
  // commit): described here, written by the token store.
  oidc::IssuedEvent issued_event = [&](const oidc::TokenResponse& t) {
    return svc.audit.event("oidc.token_issued", t.account_id, t.account_id, ex.client(),
                           "client=" + client.client_id + " grant=" + label + " scope=" + t.scope.substr(0, 200) +
                               (t.refresh_token.empty() ? "" : " refresh=yes"));
  };
  oidc::Outcome<oidc::TokenResponse> out = tl::unexpected(oidc::Refusal{});
  if (grant.empty()) {
    return bad_request("grant_type is missing");
  } else if (grant == "authorization_code") {
    if (form.get("code").empty()) return bad_request("code is missing");
    if (form.get("redirect_uri").empty()) return bad_request("redirect_uri is missing");
    out = tokens->redeem_code(client, form.get("code"), form.get("redirect_uri"), form.get("code_verifier"), issued_event);
  } else if (grant == "refresh_token") {
    if (form.get("refresh_token").empty()) return bad_request("refresh_token is missing");
    out = tokens->refresh(client, form.get("refresh_token"), optional_field(form, "scope"), issued_event);
  } else if (grant == "client_credentials") {
    out = tokens->client_credentials(client, optional_field(form, "scope"), issued_event);
  } else {
    // password and the implicit flow never; anything else is unknown.
    return refused(oidc::Refusal{400, "unsupported_grant_type", "grant types: authorization_code, refresh_token, "
                                 "client_credentials", "unsupported_grant_type"});
  }
  if (!out) return refused(out.error());

  boost::json::object body{{"access_token", out->access_token},
                           {"token_type", "Bearer"},
                           {"expires_in", out->expires_in.count()}};
  if (!out->scope.empty()) body["scope"] = out->scope;
  if (!out->id_token.empty()) body["id_token"] = out->id_token;
  if (!out->refresh_token.empty()) body["refresh_token"] = out->refresh_token;
  svc.metrics.count_oidc_token(label, "issued");  // oidc.token_issued is already committed
  return ex.json(200, body);
}

}  // namespace portier::web
