-- Initial schema. Times are INTEGER unix seconds (UTC); enum values are the
-- lower-case names from account.h and flow.h, guarded by CHECK so a bug
-- cannot write a status the code would not read back. Types stay close to
-- PostgreSQL (TEXT, BIGINT); COLLATE NOCASE and INTEGER PRIMARY KEY are the
-- SQLite-only parts a 0001_init.postgres.sql will replace.

CREATE TABLE accounts (
  id                    INTEGER PRIMARY KEY,
  identifier            TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  email                 TEXT    NOT NULL COLLATE NOCASE,
  display_name          TEXT    NOT NULL DEFAULT '',
  phone                 TEXT,
  code_channel          TEXT    NOT NULL DEFAULT 'email'
                                CHECK (code_channel IN ('email', 'sms')),
  status                TEXT    NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'active', 'disabled')),
  role                  TEXT    NOT NULL DEFAULT 'member'
                                CHECK (role IN ('member', 'support', 'admin')),
  rpps                  TEXT,
  password_hash         TEXT    NOT NULL DEFAULT '',
  password_is_temporary INTEGER NOT NULL DEFAULT 0
                                CHECK (password_is_temporary IN (0, 1)),
  password_expires_at   BIGINT,
  created_at            BIGINT  NOT NULL,
  updated_at            BIGINT  NOT NULL,
  last_sign_in_at       BIGINT
);
-- Several accounts may share an address; recovery and reminders look it up.
CREATE INDEX accounts_email ON accounts (email);
-- count_active_with_role guards "never remove the last admin".
CREATE INDEX accounts_role_status ON accounts (role, status);

CREATE TABLE sessions (
  id_hash      TEXT    PRIMARY KEY,
  account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at   BIGINT  NOT NULL,
  last_seen_at BIGINT  NOT NULL,
  expires_at   BIGINT  NOT NULL,
  ip           TEXT    NOT NULL DEFAULT '',
  user_agent   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE flows (
  id_hash    TEXT    PRIMARY KEY,
  kind       TEXT    NOT NULL CHECK (kind IN ('sign_in', 'setup')),
  state      TEXT    NOT NULL,
  account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
  created_at BIGINT  NOT NULL,
  expires_at BIGINT  NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  data       TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX flows_expires ON flows (expires_at);
CREATE INDEX flows_kind ON flows (kind);

-- No foreign keys here on purpose: the trail must outlive deleted accounts.
CREATE TABLE audit_events (
  id         INTEGER PRIMARY KEY,
  at         BIGINT  NOT NULL,
  event      TEXT    NOT NULL,
  actor_id   BIGINT,
  target_id  BIGINT,
  ip         TEXT    NOT NULL DEFAULT '',
  user_agent TEXT    NOT NULL DEFAULT '',
  detail     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_actor ON audit_events (actor_id, at);
CREATE INDEX audit_events_target ON audit_events (target_id, at);
CREATE INDEX audit_events_at ON audit_events (at);
