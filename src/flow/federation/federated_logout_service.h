#pragma once
// Signing out of portier also ends the member's session at the provider they
// came through (OpenID Connect RP-Initiated Logout 1.0), docs/federation.md:
//   begin()  as the member signs out: takes the provider's ID token kept for
//            the session (FederatedSessionStore, read and deleted at once),
//            and gives the provider's end_session URL with id_token_hint,
//            client_id, post_logout_redirect_uri and a fresh `state`, kept in
//            a short single-use flow (FlowKind::FederationLogout);
//   finish() when the provider sends the browser back to
//            /federation/<id>/deconnexion: the state must be the one this
//            browser was sent with (its cookie), unexpired and unused.
// A provider without end_session_endpoint, or unreachable, does not keep the
// member signed in to portier: begin() says so and the page tells the member
// the provider's session may still be open.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include "audit/audit_log.h"
#include "common/random.h"
#include "common/secret_hasher.h"
#include "federation/relying_party.h"
#include "flow/federation/federated_session_store.h"
#include "flow/flow_store.h"
#include "session/session.h"

namespace portier {

// The session did not come through a provider (or its record was taken already).
struct NotFederated {};
// Send the browser to `url`; `state` goes in a cookie until the provider's return.
struct FederatedLogoutRedirect {
  std::string provider;
  std::string url;
  std::string state;
  TimePoint expires_at{};
};
// Signed out of portier only: the provider has no end_session_endpoint, is
// unreachable, or is no longer configured.
struct FederatedLogoutUnavailable {
  std::string provider;
};
using FederatedLogoutStart = std::variant<NotFederated, FederatedLogoutRedirect, FederatedLogoutUnavailable>;

class FederatedLogoutService {
public:
  // How long the provider may take to send the browser back.
  static constexpr std::chrono::minutes kReturnLifetime{10};
  // The relying party of a configured provider id; nullptr when none.
  using Providers = std::function<federation::RelyingParty*(std::string_view id)>;

  FederatedLogoutService(FederatedSessionStore& sessions, FlowStore& flows, AuditLog& audit, const SecretHasher& secrets,
                         Random& random, const Clock& clock, Providers providers, std::string public_url)
      : sessions_(sessions), flows_(flows), audit_(audit), secrets_(secrets), random_(random), clock_(clock),
        providers_(std::move(providers)), public_url_(std::move(public_url)) {}

  // Call before ending portier's session (the record is keyed by its sid).
  // Never an error: a store failure is logged and counts as NotFederated.
  FederatedLogoutStart begin(const Session& session, const ClientInfo& client);

  // True when `state` came back to the provider's return address with the
  // cookie it was issued with, within kReturnLifetime, the first time.
  bool finish(std::string_view provider, std::string_view state, std::string_view cookie_state, const ClientInfo& client);

private:
  FederatedSessionStore& sessions_;
  FlowStore& flows_;
  AuditLog& audit_;
  const SecretHasher& secrets_;
  Random& random_;
  const Clock& clock_;
  Providers providers_;
  std::string public_url_;
};

}  // namespace portier
