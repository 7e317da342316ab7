#include "app/oidc_token_parts.h"

#include <spdlog/spdlog.h>

#include "oidc/subject.h"
#include "storage/stores/sql_oidc_access_token_store.h"
#include "storage/stores/sql_oidc_code_store.h"
#include "storage/stores/sql_oidc_refresh_token_store.h"

namespace portier {

std::unique_ptr<OidcTokenParts> make_oidc_token_parts(const Config& c, std::shared_ptr<storage::sql::Database> db,
                                                      AccountStore& accounts, oidc::ClientStore* clients,
                                                      oidc::KeyRing& keys, const SecretHasher& secrets, Random& random,
                                                      const Clock& clock) {
  auto p = std::make_unique<OidcTokenParts>();
  p->codes = std::make_unique<storage::SqlOidcCodeStore>(db);
  p->refresh_tokens = std::make_unique<storage::SqlOidcRefreshTokenStore>(db);
  p->access_tokens = std::make_unique<storage::SqlOidcAccessTokenStore>(db);
  p->replay = std::make_unique<storage::SqlAssertionReplayCache>(db);
  oidc::TokenSettings s;
  s.issuer = oidc::issuer_of(c.server.public_url);
  s.code_lifetime = c.oidc.code_lifetime;
  s.access_token_lifetime = c.oidc.access_token_lifetime;
  s.id_token_lifetime = c.oidc.id_token_lifetime;
  s.refresh_token_lifetime = c.oidc.refresh_token_lifetime;
  s.refresh_token_idle = c.oidc.refresh_token_idle;
  s.refresh_reuse_grace = c.oidc.refresh_reuse_grace;
  p->tokens = std::make_unique<oidc::TokenService>(accounts, *p->codes, *p->refresh_tokens, *p->access_tokens, keys,
                                                   secrets, random, clock, s);
  // A client assertion's aud: the issuer or the token endpoint (the
  // endpoint being called is accepted too, see ClientAuthenticator).
  if (clients)
    p->client_auth = std::make_unique<oidc::ClientAuthenticator>(
      *clients, *p->replay, secrets, clock, std::vector<std::string>{s.issuer, s.issuer + "/token", s.issuer + "/"});
  return p;
}

int OidcTokenParts::purge(TimePoint now) {
  int total = 0;
  auto add = [&](Result<int> n, const char* what) {
    if (n) total += *n;
    else spdlog::error("housekeeping: purging OIDC {}: {}", what, n.error().detail);
  };
  add(codes->purge_expired(now), "codes");
  add(refresh_tokens->purge_expired(now), "refresh tokens");
  add(access_tokens->purge_expired(now), "access tokens");
  add(replay->purge_expired(now), "client assertion ids");
  return total;
}

}  // namespace portier
