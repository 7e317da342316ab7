-- Issue 10, assistance (items 13 and 16): a request gets a short reference
-- the member can quote on the phone ("A-7K3Q"), and the status 'in_progress'
-- once an agent takes it (the CHECK constraint cannot be altered in place,
-- so the table is rebuilt). Requests already taken move to 'in_progress'.
-- The outbox gains a per-message Reply-To (the assistance's address on the
-- assistance mails; empty: the sender's default, mail.reply_to).
CREATE TABLE assistance_requests_new (
  id              INTEGER PRIMARY KEY,
  created_at      BIGINT  NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'new'
                          CHECK (status IN ('new', 'in_progress', 'scheduled', 'done')),
  target_text     TEXT    NOT NULL,
  account_id      INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  name            TEXT    NOT NULL DEFAULT '',
  phone           TEXT,
  email           TEXT,
  message         TEXT    NOT NULL,
  preferred_slots TEXT    NOT NULL DEFAULT '[]',
  assigned_to     INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  scheduled_at    BIGINT,
  closed_at       BIGINT,
  note            TEXT,
  lang            TEXT    NOT NULL DEFAULT 'fr',
  reference       TEXT                            -- "A-7K3Q"; NULL for requests made before this migration
);
INSERT INTO assistance_requests_new (id, created_at, status, target_text, account_id, name, phone, email, message,
                                     preferred_slots, assigned_to, scheduled_at, closed_at, note, lang)
  SELECT id, created_at,
         CASE WHEN status = 'new' AND assigned_to IS NOT NULL THEN 'in_progress' ELSE status END,
         target_text, account_id, name, phone, email, message, preferred_slots, assigned_to, scheduled_at, closed_at,
         note, lang
  FROM assistance_requests;
DROP TABLE assistance_requests;
ALTER TABLE assistance_requests_new RENAME TO assistance_requests;
CREATE INDEX assistance_requests_status ON assistance_requests (status, created_at);
CREATE INDEX assistance_requests_account ON assistance_requests (account_id);
CREATE UNIQUE INDEX assistance_requests_reference ON assistance_requests (reference);

ALTER TABLE outbox ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';
