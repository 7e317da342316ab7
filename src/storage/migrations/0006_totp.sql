-- Authenticator apps (TOTP). The secret must be read back to compute codes,
-- so it cannot be hashed: it is encrypted (libsodium secretbox under a key
-- derived from the server key; base64 of nonce || ciphertext), so a copy of
-- the database alone yields no usable secret.
-- A row may hold only a pending secret (enrolment shown, not yet confirmed);
-- secret_box is then NULL. A confirmed app stays in use while a replacement
-- is pending.
-- last_step: the newest time step whose code was accepted; a code of that
-- step or an older one is refused (no replay within the ±1 window).
CREATE TABLE totp_credentials (
  account_id   INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  secret_box   TEXT,
  pending_box  TEXT,
  confirmed_at BIGINT,
  last_step    BIGINT
);

-- Single-use recovery codes, as keyed hashes of their normalised text.
CREATE TABLE totp_recovery_codes (
  hash       TEXT    PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  used_at    BIGINT
);
CREATE INDEX totp_recovery_codes_account ON totp_recovery_codes (account_id);
