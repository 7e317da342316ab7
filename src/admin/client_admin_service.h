#pragma once
// Administration of the applications registered with the OpenID Connect
// provider (issue 12): `portier client …` (admin/client_command.h) and the
// console's /support/applications pages. Every change is checked by
// oidc/client_rules.h first and audited (oidc.client_added, _updated,
// _secret_rotated, _removed; the detail names the client_id, never a
// secret; an update also lists the fields it changed: "changed=name,scopes"). Secrets are made here, returned once and stored only as their
// keyed hash (oidc/client_secret.h).
#include <optional>
#include <variant>

#include "audit/audit_log.h"
#include "common/random.h"
#include "common/secret_hasher.h"
#include "oidc/client_rules.h"
#include "oidc/client_store.h"

namespace portier {

struct ClientSaved {
  oidc::Client client;
  // The new secret, in clear, when one was made (added or rotated, or the
  // client changed to a secret method): show it once, never store it.
  std::string secret;
};

struct ClientRejected {
  std::vector<oidc::ClientProblem> problems;
};

using ClientOutcome = std::variant<ClientSaved, ClientRejected>;

class ClientAdminService {
public:
  ClientAdminService(oidc::ClientStore& clients, const SecretHasher& secrets, AuditLog& audit, Random& random,
                     const Clock& clock)
      : clients_(clients), secrets_(secrets), audit_(audit), random_(random), clock_(clock) {}

  // Registers `draft` (its client_id, secret_hash and times are ignored):
  // a new client_id, and a secret for confidential clients authenticating
  // with one (client_secret_basic, client_secret_post).
  Result<ClientOutcome> add(oidc::Client draft, std::optional<AccountId> actor, const ClientInfo& client);
  Result<std::vector<oidc::Client>> list() { return clients_.list(); }
  // NotFound when absent.
  Result<oidc::Client> find(std::string_view client_id) { return clients_.find(client_id); }
  // Replaces the registration of `changed.client_id` (secret and creation
  // kept). A client that moves to a secret method without having a secret
  // gets one (returned); one that moves away from secrets loses its hash.
  Result<ClientOutcome> update(oidc::Client changed, std::optional<AccountId> actor, const ClientInfo& client);
  // A new secret, the old one stops working at once. InvalidInput for a
  // client that does not authenticate with a secret; NotFound when absent.
  Result<ClientSaved> rotate_secret(std::string_view client_id, std::optional<AccountId> actor,
                                    const ClientInfo& client);
  // Removes the client and, through the schema's cascades, what it was
  // issued (codes, grants, tokens). NotFound when absent.
  Result<void> remove(std::string_view client_id, std::optional<AccountId> actor, const ClientInfo& client);

private:
  std::string new_secret(oidc::Client& c);

  oidc::ClientStore& clients_;
  const SecretHasher& secrets_;
  AuditLog& audit_;
  Random& random_;
  const Clock& clock_;
};

}  // namespace portier
