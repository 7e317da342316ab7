-- Changing the email address (issue 9, item 2): a flow of kind
-- 'email_change' and one-time tokens of purposes 'email_change_link',
-- 'email_change_code' (to the new address) and 'email_change_cancel' (the
-- "this was not me" link to the old one).
-- flows.kind and one_time_tokens.purpose are open lists that grow with every
-- flow: both tables are rebuilt without their CHECK lists (SQLite cannot
-- alter a constraint; nothing references these tables).
CREATE TABLE flows_new (
  id_hash    TEXT    PRIMARY KEY,
  kind       TEXT    NOT NULL,
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
  purpose    TEXT    NOT NULL,
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
