#pragma once
// Who is calling the token, introspection and revocation endpoints: the
// client authentication of RFC 6749 2.3 / OIDC Core 9, without HTTP. The
// router (web/route.h Access::OAuthClient) gathers what the request
// presented into PresentedCredentials and calls authenticate() before the
// handler runs.
//
// Exactly one method per request, and it must be the one the client
// registered: a client_secret_basic client presenting its secret in the
// form is refused, so a secret never travels a way the operator did not
// choose.
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/secret_hasher.h"
#include "oidc/client_store.h"
#include "oidc/token_store.h"

namespace portier::oidc {

inline constexpr std::string_view kJwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

struct PresentedCredentials {
  // From `Authorization: Basic`, already base64- and form-decoded
  // (RFC 6749 2.3.1). basic_malformed: the header was there but unreadable.
  std::optional<std::string> basic_id;
  std::optional<std::string> basic_secret;
  bool basic_malformed = false;
  // Form parameters; nullopt when absent.
  std::optional<std::string> client_id;
  std::optional<std::string> client_secret;
  std::optional<std::string> assertion_type;
  std::optional<std::string> assertion;
};

struct ClientAuthRefusal {
  std::string description;  // for the client's developer; never a secret
  std::string reason;       // fixed word for audit and metrics
  bool basic = false;       // the client tried Basic: answer WWW-Authenticate: Basic
  std::string client_id;    // who it claimed to be, when known (audit)
  // The store (clients or the assertion replay cache) could not answer:
  // nothing is known about the client, so the answer is 503, not 401 (a
  // client told "invalid_client" might drop a good secret).
  bool unavailable = false;
};

class ClientAuthenticator {
public:
  // `audiences`: what a private_key_jwt assertion's `aud` may be (the
  // issuer and the token endpoint's URL, RFC 7523 3).
  ClientAuthenticator(ClientStore& clients, AssertionReplayCache& replay, const SecretHasher& secrets,
                      const Clock& clock, std::vector<std::string> audiences);

  // The registered client, or why not (401 invalid_client).
  tl::expected<Client, ClientAuthRefusal> authenticate(const PresentedCredentials& presented,
                                                       std::string_view endpoint_url = {});

private:
  tl::expected<Client, ClientAuthRefusal> by_assertion(const PresentedCredentials& p, std::string_view endpoint_url);

  ClientStore& clients_;
  AssertionReplayCache& replay_;
  const SecretHasher& secrets_;
  const Clock& clock_;
  std::vector<std::string> audiences_;
};

// The longest a client assertion may live ahead (its exp minus now).
inline constexpr std::chrono::minutes kMaxAssertionLifetime{5};

}  // namespace portier::oidc
