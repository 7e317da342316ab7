#include "oidc/authorization_service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "oidc/authentication_context.h"
#include "oidc/jose/jws.h"
#include "oidc/key_ring.h"
#include "oidc/scope.h"
#include "oidc/subject.h"

namespace portier::oidc {

namespace {

constexpr std::string_view kPendingPurpose = "oidc-authorization";


RedirectableError error_for(const AuthorizationRequest& r, std::string code, std::string description) {
  return RedirectableError{r.redirect_uri, r.response_mode, r.state, std::move(code), std::move(description)};
}

}  // namespace

bool needs_consent_line(std::string_view scope) { return scope != "openid"; }

AuthorizationService::AuthorizationService(ClientStore& clients, ConsentStore& consents, FlowStore& flows,
                                           KeyRing& keys, const SecretHasher& secrets, Random& random,
                                           const Clock& clock, std::string issuer)
    : clients_(clients),
      consents_(consents),
      flows_(flows),
      keys_(keys),
      secrets_(secrets),
      random_(random),
      clock_(clock),
      issuer_(std::move(issuer)) {}

ReadOutcome AuthorizationService::read(const Parameters& params) {
  auto id = single(params, "client_id");
  std::optional<Client> client;
  if (id && id->size() <= 200) {
    auto found = clients_.find(*id);
    if (found) client = std::move(*found);
    // A store failure is not "unknown client": the caller answers 503.
    else if (found.error().code != ErrorCode::NotFound) return UntrustedRequest{"unavailable"};
  }
  return read_authorization_request(params, client ? &*client : nullptr);
}

std::optional<std::string> AuthorizationService::hinted_subject(std::string_view hint) {
  auto header = jose::peek_header(hint);
  if (!header) return std::nullopt;
  auto kid = header->if_contains("kid");
  if (!kid || !kid->is_string()) return std::nullopt;
  auto key = keys_.by_kid(kid->as_string());
  if (!key) return std::nullopt;
  auto verified = jose::verify_compact(hint, *key);
  if (!verified) return std::nullopt;
  boost::system::error_code ec;
  auto claims = boost::json::parse(verified->payload, ec);
  if (ec || !claims.is_object()) return std::nullopt;
  // An expired hint still names who it was issued to (Core 3.1.2.1); only
  // our own issuer counts.
  auto iss = claims.as_object().if_contains("iss");
  auto sub = claims.as_object().if_contains("sub");
  if (!iss || !iss->is_string() || iss->as_string() != issuer_ || !sub || !sub->is_string()) return std::nullopt;
  return std::string(sub->as_string());
}

Result<Decision> AuthorizationService::decide(const AuthorizationRequest& r, const Session* session,
                                              const PendingAuthorization* pending) {
  auto client = clients_.find(r.client_id);
  if (!client) {
    if (client.error().code == ErrorCode::NotFound) return Decision{error_for(r, "unauthorized_client", "the client was removed")};
    return tl::unexpected(client.error());
  }
  auto now = clock_.now();
  // The card level: the client's minimum (never issued below), or
  // acr_values naming it as the weakest acceptable (voluntary, Core
  // 5.5.1.1: asked once when the card or PSC is at hand here).
  const std::string& minimum = client->minimum_acr;
  bool minimum_card = minimum == kAcrHealthCard;
  bool wants_card = wanted_level(r.acr_values) == kAcrHealthCard && health_card_available_;
  auto sign_in = [&](std::string_view why) -> Decision {
    if (r.prompt_none) return error_for(r, "login_required", std::string(why));
    if (minimum_card) {
      if (!health_card_available_)
        return error_for(r, "access_denied",
                         "the application requires the CPS card or Pro Santé Connect, and neither is offered here");
      return NeedsStrongSignIn{true};
    }
    if (wants_card) return NeedsStrongSignIn{false};
    return NeedsSignIn{};
  };
  if (!session) return sign_in("nobody is signed in");

  std::optional<std::string> hinted;
  if (!r.id_token_hint.empty()) {
    hinted = hinted_subject(r.id_token_hint);
    if (!hinted) return Decision{error_for(r, "invalid_request", "id_token_hint is not an ID token of this provider")};
  }
  // A session opened after the request arrived is the sign-in it asked for.
  bool fresh = pending && pending->answered_by(*session);
  if (!fresh) {
    if (hinted && *hinted != subject_of(secrets_, session->account_id))
      return sign_in("another member is signed in");
    if (r.prompt_login) return sign_in("prompt=login");
    if (r.max_age && now - session->created_at > std::chrono::seconds(*r.max_age))
      return sign_in("the sign-in is older than max_age");
    if (!r.acr_values.empty() && !r.prompt_none) {
      auto acr = authentication_context(session->auth_methods).acr;
      bool met = std::any_of(r.acr_values.begin(), r.acr_values.end(),
                             [&](const std::string& want) { return acr_satisfies(acr, want); });
      // acr_values are voluntary (Core 5.5.1.1): one new sign-in is asked
      // for, then the ID token says what it achieved.
      bool achievable = std::any_of(r.acr_values.begin(), r.acr_values.end(), [](const std::string& want) {
        return contains(supported_acr_values(), want);
      });
      if (!met && achievable) return wants_card ? Decision{NeedsStrongSignIn{false}} : Decision{NeedsSignIn{}};
    }
  }
  // The client's minimum is not voluntary: a session below it, even one
  // opened for this very request, gets nothing but another sign-in
  // (login_required without interaction, Core 3.1.2.6).
  if (!minimum.empty() && !acr_satisfies(authentication_context(session->auth_methods).acr, minimum))
    return sign_in("the sign-in is below the application's minimum level");
  bool ask = r.prompt_consent && !fresh;
  if (!client->trusted || r.prompt_consent) {
    auto consent = consents_.find(session->account_id, r.client_id);
    if (!consent && consent.error().code != ErrorCode::NotFound) return tl::unexpected(consent.error());
    bool covered = consent && !consent->implicit && std::all_of(r.scopes.begin(), r.scopes.end(), [&](const std::string& s) {
                     return contains(consent->scopes, s);
                   });
    if (!covered || ask) {
      if (r.prompt_none) return Decision{error_for(r, "consent_required", "the member has not allowed this application")};
      return NeedsConsent{};
    }
  }
  auto grant = grant_for(r, *session);
  if (!grant) return tl::unexpected(grant.error());
  return Decision{IssueCode{std::move(*grant)}};
}

Result<CodeGrant> AuthorizationService::grant_for(const AuthorizationRequest& r, const Session& session) {
  auto client = clients_.find(r.client_id);
  if (!client) return tl::unexpected(client.error());
  auto now = clock_.now();
  auto touched = consents_.touch(session.account_id, r.client_id, now);
  if (!touched && touched.error().code == ErrorCode::NotFound) {
    // A trusted client used for the first time: listed in Mon espace too.
    Consent c{session.account_id, r.client_id, {}, r.scopes, true, now, now};
    if (auto g = consents_.grant(c); !g) return tl::unexpected(g.error());
  } else if (!touched) {
    return tl::unexpected(touched.error());
  }
  auto context = authentication_context(session.auth_methods);
  CodeGrant g;
  g.client_id = r.client_id;
  g.account_id = session.account_id;
  g.sid = session.sid;
  g.redirect_uri = r.redirect_uri;
  g.scopes = r.scopes;
  g.nonce = r.nonce;
  g.code_challenge = r.code_challenge;
  g.auth_time = session.created_at;
  g.amr = context.amr;
  g.acr = context.acr;
  g.id_token_claims = r.id_token_claims;
  g.userinfo_claims = r.userinfo_claims;
  return g;
}

Result<std::string> AuthorizationService::keep(const AuthorizationRequest& request, bool sign_in_required,
                                               std::string_view session_sid) {
  auto token = random_.token(32);
  FlowEnvelope f;
  f.id_hash = secrets_.digest(kPendingPurpose, token);
  f.kind = FlowKind::Authorization;
  f.state = sign_in_required ? "sign_in" : "decide";
  f.created_at = clock_.now();
  f.expires_at = f.created_at + kPendingLifetime;
  boost::json::object data{{"request", boost::json::parse(request.to_json())}, {"session_before", session_sid}};
  f.data = boost::json::serialize(data);
  if (auto r = flows_.create(f); !r) return tl::unexpected(r.error());
  return token;
}

Result<PendingAuthorization> AuthorizationService::pending(std::string_view token) {
  if (token.empty() || token.size() > 128) return fail(ErrorCode::NotFound);
  auto f = flows_.find(FlowKind::Authorization, secrets_.digest(kPendingPurpose, token));
  if (!f) return tl::unexpected(f.error());
  if (f->is_expired(clock_.now())) return fail(ErrorCode::Expired, "authorization request expired");
  if (f->state == "done") return fail(ErrorCode::NotFound, "authorization request answered");
  boost::system::error_code ec;
  auto data = boost::json::parse(f->data, ec);
  auto* o = !ec ? data.if_object() : nullptr;
  auto* kept = o ? o->if_contains("request") : nullptr;
  auto* before = o ? o->if_contains("session_before") : nullptr;
  if (!kept || !before || !before->is_string()) return fail(ErrorCode::Internal, "unreadable pending authorization request");
  auto request = AuthorizationRequest::from_json(boost::json::serialize(*kept));
  if (!request) return fail(ErrorCode::Internal, "unreadable pending authorization request");
  return PendingAuthorization{std::move(*request), f->created_at, f->state == "sign_in", std::string(before->as_string())};
}

void AuthorizationService::forget(std::string_view token) {
  if (token.empty() || token.size() > 128) return;
  auto hash = secrets_.digest(kPendingPurpose, token);
  auto f = flows_.find(FlowKind::Authorization, hash);
  if (!f) return;
  // Answered: a second tab resuming it finds nothing; purged at expiry.
  auto was = f->state;
  f->state = "done";
  (void)flows_.transition(*f, was);
}

Result<void> AuthorizationService::record_consent(AccountId account, const AuthorizationRequest& r) {
  auto now = clock_.now();
  Consent c{account, r.client_id, {}, r.scopes, false, now, now};
  return consents_.grant(c);
}

}  // namespace portier::oidc
