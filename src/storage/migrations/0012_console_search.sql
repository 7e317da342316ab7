-- The support console's search (account/search_terms.h): words in any
-- order, case and accents ignored, fast on 100 000 accounts. An FTS5 index of
-- each account's identifier, name, address, phone (E.164 and, for French
-- numbers, the national "06..." form) and RPPS, kept by triggers so that
-- no store method can forget it. unicode61 with remove_diacritics 2 folds
-- "Hélène" and "helene" alike, in the index and in the queries.
CREATE VIRTUAL TABLE account_search USING fts5(
  words,
  tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO account_search (rowid, words)
  SELECT id, identifier || ' ' || display_name || ' ' || email || ' ' || coalesce(phone, '') || ' ' ||
             CASE WHEN phone LIKE '+33%' THEN '0' || substr(phone, 4) ELSE '' END || ' ' || coalesce(rpps, '')
  FROM accounts;

CREATE TRIGGER account_search_insert AFTER INSERT ON accounts BEGIN
  INSERT INTO account_search (rowid, words)
  VALUES (new.id, new.identifier || ' ' || new.display_name || ' ' || new.email || ' ' || coalesce(new.phone, '') || ' ' ||
                  CASE WHEN new.phone LIKE '+33%' THEN '0' || substr(new.phone, 4) ELSE '' END || ' ' ||
                  coalesce(new.rpps, ''));
END;

CREATE TRIGGER account_search_update AFTER UPDATE OF identifier, display_name, email, phone, rpps ON accounts BEGIN
  DELETE FROM account_search WHERE rowid = old.id;
  INSERT INTO account_search (rowid, words)
  VALUES (new.id, new.identifier || ' ' || new.display_name || ' ' || new.email || ' ' || coalesce(new.phone, '') || ' ' ||
                  CASE WHEN new.phone LIKE '+33%' THEN '0' || substr(new.phone, 4) ELSE '' END || ' ' ||
                  coalesce(new.rpps, ''));
END;

CREATE TRIGGER account_search_delete AFTER DELETE ON accounts BEGIN
  DELETE FROM account_search WHERE rowid = old.id;
END;
