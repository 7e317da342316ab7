-- Second step: a mobile number is only used for codes once a code sent to it
-- came back (phone_verified_at); phone verification is a flow of its own.
ALTER TABLE accounts ADD COLUMN phone_verified_at BIGINT;

CREATE TABLE flows_new (
  id_hash    TEXT    PRIMARY KEY,
  kind       TEXT    NOT NULL CHECK (kind IN ('sign_in', 'setup', 'recovery', 'phone_verification')),
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
