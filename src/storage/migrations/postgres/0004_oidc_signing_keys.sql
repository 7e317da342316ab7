-- The OpenID Connect provider's signing keys (oidc/key_ring.h), shared by
-- every node. kid: the RFC 7638 thumbprint of the public key. state: 'next'
-- (published, not yet signing), 'active' (signs), 'retired' (published until
-- every token it signed has expired, then deleted). private_box: the PKCS#8
-- PEM sealed with libsodium secretbox under a key derived from the server key
-- (common/secret_box.h): a copy of the database alone yields no key.
-- Times are unix seconds.
CREATE TABLE oidc_signing_keys (
  kid          TEXT   PRIMARY KEY,
  alg          TEXT   NOT NULL,
  state        TEXT   NOT NULL,
  public_jwk   TEXT   NOT NULL,
  private_box  TEXT   NOT NULL,
  created_at   BIGINT NOT NULL,
  activated_at BIGINT,
  retired_at   BIGINT
);
-- At most one active and one next key per algorithm: nodes that start or
-- rotate together cannot make two (the loser's insert does nothing).
CREATE UNIQUE INDEX oidc_signing_keys_one_per_slot ON oidc_signing_keys (alg, state) WHERE state <> 'retired';
