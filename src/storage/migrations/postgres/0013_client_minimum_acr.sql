-- The lowest authentication level an application accepts
-- (oidc/authentication_context.h: urn:portier:acr:pwd < mfa < cps); empty
-- for none. Below it, /authorize sends the member to sign in again (for the
-- card level: the card or Pro Santé Connect) and no token is ever issued.
ALTER TABLE oidc_clients ADD COLUMN minimum_acr TEXT NOT NULL DEFAULT '';
