-- What the OpenID Connect provider's token side issued (oidc/token_store.h).
-- Every token is stored as a keyed hash (SecretHasher, one purpose per kind)
-- or, for JWT access tokens, by its jti: a copy of the database yields no
-- usable token. Times are unix seconds. Rows die with their client
-- (oidc_clients, migration 0006) and their account; the housekeeping job
-- deletes expired rows.

-- Authorization codes. grant: the CodeGrant as JSON (oidc/code_grant.h).
-- used_at: set by the one compare-and-set UPDATE that redeems the code.
CREATE TABLE oidc_codes (
  code_hash  TEXT   PRIMARY KEY,
  client_id  TEXT   NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  grant_json TEXT   NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT
);
CREATE INDEX oidc_codes_expires ON oidc_codes (expires_at);

-- Refresh tokens. family_id: one per code redemption; every rotation adds a
-- row to the family (replaced_by: the successor's hash). code_hash: the code
-- the family came from (a reused code revokes it). expires_at: the idle end
-- of this token, never after family_expires_at (the absolute end).
CREATE TABLE oidc_refresh_tokens (
  token_hash        TEXT   PRIMARY KEY,
  family_id         TEXT   NOT NULL,
  client_id         TEXT   NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
  account_id        BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  sid               TEXT   NOT NULL DEFAULT '',
  scopes            TEXT   NOT NULL,
  auth_time         BIGINT NOT NULL,
  amr               TEXT   NOT NULL DEFAULT '',
  acr               TEXT   NOT NULL DEFAULT '',
  code_hash         TEXT   NOT NULL DEFAULT '',
  created_at        BIGINT NOT NULL,
  expires_at        BIGINT NOT NULL,
  family_expires_at BIGINT NOT NULL,
  rotated_at        BIGINT,
  replaced_by       TEXT,
  revoked_at        BIGINT
);
CREATE INDEX oidc_refresh_tokens_family ON oidc_refresh_tokens (family_id);
CREATE INDEX oidc_refresh_tokens_account ON oidc_refresh_tokens (account_id, client_id);
CREATE INDEX oidc_refresh_tokens_sid ON oidc_refresh_tokens (sid);
CREATE INDEX oidc_refresh_tokens_expires ON oidc_refresh_tokens (expires_at);

-- Access tokens. token_key: the keyed hash of an opaque token, or the jti of
-- a JWT one (format 'opaque' or 'jwt'). account_id NULL: client_credentials.
-- family_id / code_hash: what issued it, so that revoking a refresh family
-- or a reused code reaches its access tokens.
CREATE TABLE oidc_access_tokens (
  token_key  TEXT   PRIMARY KEY,
  format     TEXT   NOT NULL,
  client_id  TEXT   NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
  account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
  sid        TEXT   NOT NULL DEFAULT '',
  scopes     TEXT   NOT NULL,
  audience   TEXT   NOT NULL,
  auth_time  BIGINT,
  amr        TEXT   NOT NULL DEFAULT '',
  acr        TEXT   NOT NULL DEFAULT '',
  family_id  TEXT   NOT NULL DEFAULT '',
  code_hash  TEXT   NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX oidc_access_tokens_family ON oidc_access_tokens (family_id);
CREATE INDEX oidc_access_tokens_code ON oidc_access_tokens (code_hash);
CREATE INDEX oidc_access_tokens_account ON oidc_access_tokens (account_id, client_id);
CREATE INDEX oidc_access_tokens_expires ON oidc_access_tokens (expires_at);

-- private_key_jwt replay cache (RFC 7523 3): a client assertion's jti is
-- accepted once until its exp; the primary key makes the insert the check.
CREATE TABLE oidc_assertion_jtis (
  client_id  TEXT   NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
  jti        TEXT   NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (client_id, jti)
);
CREATE INDEX oidc_assertion_jtis_expires ON oidc_assertion_jtis (expires_at);
