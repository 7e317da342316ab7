#pragma once
// The authorization endpoint's decisions, without HTTP: read a request,
// keep it while the member signs in (a flow of kind Authorization, the
// browser holding its token), decide what the member's session allows
// (sign in again, consent, or a code), and record consents.
// web/oidc_authorize_pages.cpp is its only caller.
#include <chrono>
#include <optional>
#include <variant>

#include "common/random.h"
#include "common/secret_hasher.h"
#include "flow/flow_store.h"
#include "oidc/authorization_request.h"
#include "oidc/client_store.h"
#include "oidc/code_grant.h"
#include "oidc/consent_store.h"
#include "session/session.h"

namespace portier::oidc {

class KeyRing;

// A request kept while the member signs in or decides.
struct PendingAuthorization {
  AuthorizationRequest request;
  TimePoint created_at{};
  // The request asked for a sign-in (prompt=login, max_age, acr_values, or
  // nobody was signed in): a session opened before created_at does not do.
  bool sign_in_required = false;
  // The sid of the session this browser had when the request was kept (""
  // for none). Every sign-in opens a new session, so a session other than
  // this one, opened since, is the sign-in done for this request. Times
  // alone cannot tell: a sign-in and a new request can share a second.
  std::string session_before;

  bool answered_by(const Session& s) const { return s.created_at >= created_at && s.sid != session_before; }
};

struct NeedsSignIn {};
// The application wants the health-professional card level
// (urn:portier:acr:cps): the member signs in with the card or Pro Santé
// Connect. `required`: the client's minimum_acr, not a voluntary acr_values.
struct NeedsStrongSignIn {
  bool required = false;
};
struct NeedsConsent {};
struct IssueCode {
  CodeGrant grant;
};
using Decision = std::variant<NeedsSignIn, NeedsStrongSignIn, NeedsConsent, IssueCode, RedirectableError>;

// Where the client's scopes are described to members (the consent page and
// Mon espace): each scope but openid names what is shared.
bool needs_consent_line(std::string_view scope);

class AuthorizationService {
public:
  static constexpr std::chrono::hours kPendingLifetime{1};  // sign-in, a forgotten password, a first connection

  AuthorizationService(ClientStore& clients, ConsentStore& consents, FlowStore& flows, KeyRing& keys,
                       const SecretHasher& secrets, Random& random, const Clock& clock, std::string issuer);

  // The client named by the parameters, then the request read against it.
  ReadOutcome read(const Parameters& params);

  // What `session` (null: nobody signed in) allows for `request`.
  // `pending`: the request as it was kept, when it was (a session opened
  // for it since then is the sign-in it asked for).
  Result<Decision> decide(const AuthorizationRequest& request, const Session* session,
                          const PendingAuthorization* pending);

  // Keeps a request; returns the browser's token.
  // `session_sid`: the session this browser has now ("" for none).
  Result<std::string> keep(const AuthorizationRequest& request, bool sign_in_required, std::string_view session_sid);
  // NotFound / Expired when the token names nothing live.
  Result<PendingAuthorization> pending(std::string_view token);
  // The request is answered (a code or an error): the token stops working.
  void forget(std::string_view token);

  // The member allowed the client the request's scopes.
  Result<void> record_consent(AccountId account, const AuthorizationRequest& request);
  // A code may be issued: the grant for `session`, and the application's
  // use recorded (Mon espace "Applications").
  Result<CodeGrant> grant_for(const AuthorizationRequest& request, const Session& session);

  // Mon espace "Applications": every application the member uses, most
  // recently used first, and withdrawing one (false: nothing to withdraw).
  // The tokens issued to it are revoked by the caller (the token side).
  Result<std::vector<Consent>> applications(AccountId account) { return consents_.list_for_account(account); }
  Result<bool> withdraw(AccountId account, std::string_view client_id) { return consents_.revoke(account, client_id); }

  Result<Client> client(std::string_view client_id) { return clients_.find(client_id); }
  // Whether members can reach the card level here ([card] enabled or a Pro
  // Santé Connect provider): without, a voluntary acr_values naming it is
  // met as closely as possible, and a minimum naming it is refused.
  void set_health_card_available(bool available) { health_card_available_ = available; }
  const std::string& issuer() const { return issuer_; }

private:
  // The `sub` an id_token_hint names, if it is a token we signed.
  std::optional<std::string> hinted_subject(std::string_view id_token_hint);

  ClientStore& clients_;
  ConsentStore& consents_;
  FlowStore& flows_;
  KeyRing& keys_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  std::string issuer_;
  bool health_card_available_ = false;
};

}  // namespace portier::oidc
