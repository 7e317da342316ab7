-- The support console's search on PostgreSQL (SQLite's is FTS5, migration
-- 0012_console_search): each account's words, folded (lower case, accents
-- dropped, punctuation as spaces) and framed by spaces, kept by a trigger so
-- that no store method can forget it. The store looks each entry up as
-- ' word…' (the start of a word, the last one a prefix) with LIKE: a scan of
-- this narrow table, about 50 ms for 100 000 accounts on a loaded 2-core
-- machine (docs/performance.md), with no extension to install (pg_trgm
-- would index it, for a network much larger than that).
CREATE FUNCTION account_search_fold(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT ' ' || trim(regexp_replace(translate(lower(t), 'àáâãäåāçćčèéêëēėęìíîïīñòóôõöōùúûüūýÿ', 'aaaaaaaccceeeeeeeiiiiinoooooouuuuuyy'), '[[:space:][:punct:]]+', ' ', 'g')) || ' '
$$;

CREATE TABLE account_search (
  account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  words TEXT NOT NULL
);

CREATE FUNCTION account_search_words(a accounts) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT account_search_fold(a.identifier || ' ' || a.display_name || ' ' || a.email || ' ' || coalesce(a.phone, '') || ' ' ||
         CASE WHEN a.phone LIKE '+33%' THEN '0' || substr(a.phone, 4) ELSE '' END || ' ' || coalesce(a.rpps, ''))
$$;

INSERT INTO account_search (account_id, words) SELECT a.id, account_search_words(a) FROM accounts a;

CREATE FUNCTION account_search_refresh() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO account_search (account_id, words) VALUES (NEW.id, account_search_words(NEW))
    ON CONFLICT (account_id) DO UPDATE SET words = excluded.words;
  RETURN NULL;
END
$$;

CREATE TRIGGER account_search_refresh AFTER INSERT OR UPDATE OF identifier, display_name, email, phone, rpps
  ON accounts FOR EACH ROW EXECUTE FUNCTION account_search_refresh();
