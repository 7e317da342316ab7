-- When the pending authenticator-app key was drawn: the enrolment page shows
-- the same key on every reload until it is confirmed, cancelled, or older
-- than its lifetime (TotpService::kPendingLifetime), after which a new key
-- must be drawn. NULL for keys drawn before this column existed (treated as
-- expired).
ALTER TABLE totp_credentials ADD COLUMN pending_at BIGINT;
