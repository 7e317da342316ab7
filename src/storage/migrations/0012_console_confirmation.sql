-- The support console asks the agent's password once per short period
-- (security.console_confirmation_period), not in every form: when the
-- session last proved it. Kept on the session row so that a renewed token
-- (SessionStore::rekey) keeps it and an ended session takes it along.
ALTER TABLE sessions ADD COLUMN confirmed_at BIGINT;
