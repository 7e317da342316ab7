-- The outbox: every mail and SMS portier sends. A request inserts its message
-- in the same transaction as the state change it announces; the outbox
-- worker sends it, retries it, and erases the bodies once it is sent or
-- given up (they may hold a code or a link). Times are unix seconds (UTC).

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  channel         TEXT    NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient       TEXT    NOT NULL,
  -- SET NULL, not CASCADE: support still sees what was sent to a deleted account.
  account_id      INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  kind            TEXT    NOT NULL,
  lang            TEXT    NOT NULL DEFAULT 'fr',
  subject         TEXT    NOT NULL DEFAULT '',
  body_text       TEXT    NOT NULL DEFAULT '',
  body_html       TEXT    NOT NULL DEFAULT '',
  status          TEXT    NOT NULL DEFAULT 'queued'
                          CHECK (status IN ('queued', 'sent', 'deferred', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      BIGINT  NOT NULL,
  next_attempt_at BIGINT  NOT NULL,
  sent_at         BIGINT,
  last_error      TEXT    NOT NULL DEFAULT ''
);
-- claim_due: the worker's one query.
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
-- list_for_account: support console.
CREATE INDEX outbox_account ON outbox (account_id, created_at);
