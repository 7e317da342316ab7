-- Protection against password guessing: consecutive-failure counters.
-- key: what is counted ("pw:untrusted:<hash of identifier>", "pw:device:<hash
-- of a device nonce>", "pw:total:<hash of identifier>"); never an identifier
-- in clear. account_id is set when the identifier belongs to an account, so
-- that a reset or a support unlock can clear every counter of the account.
-- failures counts attempts begun (claimed before the password is checked),
-- so parallel attempts cannot exceed the threshold.
CREATE TABLE sign_in_lockouts (
  key          TEXT    PRIMARY KEY,
  account_id   INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
  failures     INTEGER NOT NULL,
  locked_until BIGINT,                -- suspended until then (NULL: not suspended)
  until_reset  INTEGER NOT NULL DEFAULT 0 CHECK (until_reset IN (0, 1)),  -- the NIST ceiling: only a reset or support lifts it
  updated_at   BIGINT  NOT NULL
);
CREATE INDEX sign_in_lockouts_account ON sign_in_lockouts (account_id);
CREATE INDEX sign_in_lockouts_updated ON sign_in_lockouts (updated_at);
