-- A session's public name (Session::sid): the `sid` of the OpenID Connect
-- ID and logout tokens, stable when the token is renewed. Sessions opened
-- before get a prefix of their keyed hash: unique, and no use to anyone
-- without the server key and the token.
ALTER TABLE sessions ADD COLUMN sid TEXT NOT NULL DEFAULT '';
UPDATE sessions SET sid = substr(id_hash, 1, 32) WHERE sid = '';
CREATE UNIQUE INDEX sessions_sid ON sessions (sid);
