#pragma once
// The OIDC provider's token side as app/ builds it (oidc.enabled only): its
// four stores, the TokenService and the client authentication. Apart from
// app.cpp so that the parts built in parallel (clients, authorization,
// logout) each add a few lines there, not a block.
#include <memory>

#include "account/account_store.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/secret_hasher.h"
#include "config/config.h"
#include "oidc/client_authentication.h"
#include "oidc/client_store.h"
#include "oidc/key_ring.h"
#include "oidc/token_service.h"
#include "storage/sql/database.h"

namespace portier {

struct OidcTokenParts {
  std::unique_ptr<oidc::CodeStore> codes;
  std::unique_ptr<oidc::RefreshTokenStore> refresh_tokens;
  std::unique_ptr<oidc::AccessTokenStore> access_tokens;
  std::unique_ptr<oidc::AssertionReplayCache> replay;
  std::unique_ptr<oidc::TokenService> tokens;
  std::unique_ptr<oidc::ClientAuthenticator> client_auth;

  // The housekeeping job's share: expired codes, token families, access
  // tokens and replay-cache entries. Logs what failed; answers rows deleted.
  int purge(TimePoint now);
};

// `clients` null: no client can authenticate (client_auth stays null and
// the endpoints that need one answer 404).
std::unique_ptr<OidcTokenParts> make_oidc_token_parts(const Config& config, std::shared_ptr<storage::sql::Database> db,
                                                      AccountStore& accounts, oidc::ClientStore* clients,
                                                      oidc::KeyRing& keys, const SecretHasher& secrets, Random& random,
                                                      const Clock& clock);

}  // namespace portier
