-- Smart cards (CPS) linked to accounts (issue 13; card_sign_in/linked_card_store.h).
-- A card is known by the SHA-256 of its authentication certificate (DER,
-- lower-case hex): a renewed card is a new certificate, linked anew at its
-- first use. subject, issuer, serial and not_after are kept for the pages
-- (Mon espace, the console). Deleting the account unlinks its cards.
-- Times are unix seconds.
CREATE TABLE linked_cards (
  sha256       TEXT   PRIMARY KEY,
  account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  subject      TEXT   NOT NULL,
  issuer       TEXT   NOT NULL,
  serial       TEXT   NOT NULL,
  holder       TEXT   NOT NULL DEFAULT '',
  not_after    BIGINT NOT NULL,
  linked_at    BIGINT NOT NULL,
  last_used_at BIGINT
);
CREATE INDEX linked_cards_account ON linked_cards (account_id);
-- A card names its holder by RPPS: the sign-in looks the account up by it.
CREATE INDEX accounts_rpps ON accounts (rpps);
