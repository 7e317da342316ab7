-- Applications that rely on portier for sign-in (oidc/client.h), registered
-- with `portier client add` or the console. client_id: 22+ random base64url
-- characters. secret_hash: keyed hash of the generated secret
-- (oidc/client_secret.h), '' for clients without one. Lists
-- (redirect_uris, post_logout_redirect_uris, grant_types, scopes,
-- id_token_claims) are JSON arrays of strings, in the order given; jwks is
-- the client's JWK Set as given ('' when none). Booleans 0/1, times unix
-- seconds. Codes, grants and tokens of other tables reference client_id
-- ON DELETE CASCADE: removing a client removes what it was issued.
CREATE TABLE oidc_clients (
  client_id                 TEXT    PRIMARY KEY,
  name                      TEXT    NOT NULL,
  secret_hash               TEXT    NOT NULL DEFAULT '',
  is_public                 INTEGER NOT NULL DEFAULT 0,
  trusted                   INTEGER NOT NULL DEFAULT 0,
  redirect_uris             TEXT    NOT NULL DEFAULT '[]',
  post_logout_redirect_uris TEXT    NOT NULL DEFAULT '[]',
  backchannel_logout_uri    TEXT    NOT NULL DEFAULT '',
  auth_method               TEXT    NOT NULL,
  jwks                      TEXT    NOT NULL DEFAULT '',
  id_token_alg              TEXT    NOT NULL,
  grant_types               TEXT    NOT NULL DEFAULT '[]',
  scopes                    TEXT    NOT NULL DEFAULT '[]',
  access_token_format       TEXT    NOT NULL,
  access_token_audience     TEXT    NOT NULL DEFAULT '',
  id_token_claims           TEXT    NOT NULL DEFAULT '[]',
  require_pkce              INTEGER NOT NULL DEFAULT 1,
  created_at                BIGINT  NOT NULL,
  updated_at                BIGINT  NOT NULL,
  secret_rotated_at         BIGINT
);
