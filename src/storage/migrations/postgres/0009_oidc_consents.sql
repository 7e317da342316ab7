-- What each member allowed each application (oidc/consent_store.h). scopes:
-- space-separated. implicit: a trusted (first-party) client, nothing was
-- asked; the row still says the member uses it (Mon espace "Applications").
-- Times are unix seconds.
CREATE TABLE oidc_consents (
  account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  client_id    TEXT   NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
  scopes       TEXT   NOT NULL,
  implicit     INTEGER NOT NULL DEFAULT 0,
  granted_at   BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, client_id)
);
CREATE INDEX oidc_consents_client ON oidc_consents (client_id);
