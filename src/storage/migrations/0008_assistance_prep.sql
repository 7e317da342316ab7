-- Assistance issue, shared groundwork: flows gain the 'activation' kind (first
-- connection), one-time tokens the invitation purposes, sessions remember
-- how they were authenticated (the support console requires an app code).
CREATE TABLE flows_new (
  id_hash    TEXT    PRIMARY KEY,
  kind       TEXT    NOT NULL CHECK (kind IN ('sign_in', 'setup', 'recovery', 'phone_verification', 'activation')),
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

CREATE TABLE one_time_tokens_new (
  hash       TEXT    PRIMARY KEY,
  purpose    TEXT    NOT NULL CHECK (purpose IN ('recovery_link', 'recovery_code', 'invitation_link', 'invitation_code')),
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at BIGINT  NOT NULL,
  expires_at BIGINT  NOT NULL,
  used_at    BIGINT
);
INSERT INTO one_time_tokens_new SELECT hash, purpose, account_id, created_at, expires_at, used_at FROM one_time_tokens;
DROP TABLE one_time_tokens;
ALTER TABLE one_time_tokens_new RENAME TO one_time_tokens;
CREATE INDEX one_time_tokens_account ON one_time_tokens (account_id, purpose);
CREATE INDEX one_time_tokens_expires ON one_time_tokens (expires_at);

-- "pwd", "pwd+email", "pwd+sms", "pwd+app", "pwd+recovery_code": what the
-- session's sign-in proved. The console admits only "pwd+app".
ALTER TABLE sessions ADD COLUMN auth_methods TEXT NOT NULL DEFAULT 'pwd';
