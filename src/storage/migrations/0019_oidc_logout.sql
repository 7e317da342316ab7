-- OpenID Connect logout (oidc/logout_service.h).
-- oidc_session_clients: which applications each session at the provider
-- signed into (an authorization code issued), so that ending the session
-- signs it out of exactly those. Keyed by Session::sid, not by the session
-- row: the row is gone by the time its logouts are queued. Rows of an ended
-- session are removed when its logouts are queued.
CREATE TABLE oidc_session_clients (
  sid           TEXT    NOT NULL,
  account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  client_id     TEXT    NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
  first_used_at BIGINT  NOT NULL,
  last_used_at  BIGINT  NOT NULL,
  PRIMARY KEY (sid, client_id)
);
CREATE INDEX oidc_session_clients_client ON oidc_session_clients (client_id);

-- Back-channel logout deliveries, claimed by one worker at a time like the
-- mail outbox (claim_token, next_attempt_at as the lease). No foreign key to
-- accounts: a deleted account's applications must still hear of it. The
-- logout token is signed at each attempt (fresh iat/exp), never stored.
CREATE TABLE oidc_backchannel_queue (
  id              INTEGER PRIMARY KEY,
  client_id       TEXT    NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
  account_id      INTEGER NOT NULL,
  sid             TEXT    NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'deferred', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      BIGINT  NOT NULL,
  next_attempt_at BIGINT  NOT NULL,
  sent_at         BIGINT,
  last_error      TEXT    NOT NULL DEFAULT '',
  claim_token     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX oidc_backchannel_queue_due ON oidc_backchannel_queue (status, next_attempt_at);
CREATE INDEX oidc_backchannel_queue_client ON oidc_backchannel_queue (client_id);
