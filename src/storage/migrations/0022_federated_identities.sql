-- Identities at external OpenID Connect providers (Pro Santé Connect, an
-- establishment's own) linked to accounts (issue 14;
-- flow/federation/federated_identity_store.h). An identity is the pair
-- (issuer, subject): the provider promises never to reuse a `sub`. An
-- account has at most one identity per configured provider. person_id is the
-- provider's subject claim (PSC: "8" + RPPS) and display_name the name the
-- pages show. Deleting the account unlinks its identities. Times are unix
-- seconds.
CREATE TABLE federated_identities (
  provider     TEXT   NOT NULL,
  issuer       TEXT   NOT NULL,
  subject      TEXT   NOT NULL,
  account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  person_id    TEXT   NOT NULL DEFAULT '',
  display_name TEXT   NOT NULL DEFAULT '',
  linked_at    BIGINT NOT NULL,
  last_used_at BIGINT,
  PRIMARY KEY (issuer, subject),
  UNIQUE (account_id, provider)
);
