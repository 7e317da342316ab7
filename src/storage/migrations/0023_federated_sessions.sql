-- The provider's ID token of each portier session opened through a federated
-- sign-in (issue 14; flow/federation/federated_session_store.h), kept for the
-- RP-initiated logout at the provider (id_token_hint). Keyed by Session::sid,
-- like oidc_session_clients: the session row may be gone when the logout
-- reads it. The token names the person (PSC: RPPS, names), so it is stored
-- sealed under the server key (common/secret_box.h, purpose
-- "federated-id-token"), never in clear. No foreign key to accounts: the row
-- dies with the session (taken at logout, purged at expires_at, unix seconds).
CREATE TABLE federated_sessions (
  sid          TEXT   PRIMARY KEY,
  provider     TEXT   NOT NULL,
  id_token_box TEXT   NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX federated_sessions_expiry ON federated_sessions (expires_at);
