-- The stores are written once for SQLite and PostgreSQL, so they look
-- accounts up by lower(identifier) = lower(?) rather than by SQLite's
-- COLLATE NOCASE; these indexes on the same expressions keep those lookups
-- indexed. (The UNIQUE NOCASE constraint on identifier stays: both fold
-- ASCII letters alike. PostgreSQL's 0001 has the same indexes.)
CREATE INDEX accounts_identifier_lower ON accounts (lower(identifier));
CREATE INDEX accounts_email_lower ON accounts (lower(email));
