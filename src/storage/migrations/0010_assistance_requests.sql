-- Assistance requests: a visitor asks to be called back in one of the
-- support team's opening slots; staff take, schedule and close them.
-- account_id is set when what was typed names exactly one account; it is for
-- staff only and never shown to the requester (no account disclosure).
CREATE TABLE assistance_requests (
  id              INTEGER PRIMARY KEY,
  created_at      BIGINT  NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'scheduled', 'done')),
  target_text     TEXT    NOT NULL,               -- the identifier or address as typed
  account_id      INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  name            TEXT    NOT NULL DEFAULT '',
  phone           TEXT,                           -- E.164, or NULL
  email           TEXT,                           -- where to answer, or NULL
  message         TEXT    NOT NULL,
  preferred_slots TEXT    NOT NULL DEFAULT '[]',  -- JSON array of slot starts (Unix seconds)
  assigned_to     INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  scheduled_at    BIGINT,
  closed_at       BIGINT,
  note            TEXT,
  lang            TEXT    NOT NULL DEFAULT 'fr'
);
CREATE INDEX assistance_requests_status ON assistance_requests (status, created_at);
CREATE INDEX assistance_requests_account ON assistance_requests (account_id);
