-- Getting back in: recovery flows, one-time links and codes, rate limits.

-- flows.kind gains 'recovery'. SQLite cannot alter a CHECK constraint, so the
-- table is rebuilt; nothing references flows, so foreign keys stay intact.
CREATE TABLE flows_new (
  id_hash    TEXT    PRIMARY KEY,
  kind       TEXT    NOT NULL CHECK (kind IN ('sign_in', 'setup', 'recovery')),
  state      TEXT    NOT NULL,
  account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
  created_at BIGINT  NOT NULL,
  expires_at BIGINT  NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  data       TEXT    NOT NULL DEFAULT '{}'
);
INSERT INTO flows_new SELECT id_hash, kind, state, account_id, created_at, expires_at, attempts, data FROM flows;
DROP TABLE flows;
ALTER TABLE flows_new RENAME TO flows;
CREATE INDEX flows_expires ON flows (expires_at);
CREATE INDEX flows_kind ON flows (kind);

-- Links and codes sent to members. Only a keyed hash of each is stored; a
-- token is usable while used_at IS NULL and expires_at is in the future.
-- "Used" also means revoked: a newer request, a completed reset and a
-- password change set used_at on the older ones.
CREATE TABLE one_time_tokens (
  hash       TEXT    PRIMARY KEY,
  purpose    TEXT    NOT NULL CHECK (purpose IN ('recovery_link', 'recovery_code')),
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at BIGINT  NOT NULL,
  expires_at BIGINT  NOT NULL,
  used_at    BIGINT
);
CREATE INDEX one_time_tokens_account ON one_time_tokens (account_id, purpose);
CREATE INDEX one_time_tokens_expires ON one_time_tokens (expires_at);

-- Fixed-window counters (key = what is limited, e.g. "recovery:ip:…").
-- One statement increments and reads, so parallel requests cannot slip past.
CREATE TABLE rate_limits (
  key          TEXT   PRIMARY KEY,
  window_start BIGINT NOT NULL,
  count        INTEGER NOT NULL
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
