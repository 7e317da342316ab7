-- Solved "I'm not a robot" challenges, remembered until they expire so that
-- one solution cannot be replayed. challenge_hash is the challenge itself (a
-- SHA-256 hex digest, nothing secret); the primary key is what makes the
-- single-use rule atomic (INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE spent_robot_challenges (
  challenge_hash TEXT   PRIMARY KEY,
  expires_at     BIGINT NOT NULL
);
-- The housekeeping purge deletes by expiry.
CREATE INDEX spent_robot_challenges_expires_at ON spent_robot_challenges (expires_at);
