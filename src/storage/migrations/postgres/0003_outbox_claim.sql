-- Which claim of OutboxStore::claim_due a message is under: every status
-- update presents it, so a worker whose lease ran out (and whose message
-- another worker or node has claimed since) changes nothing.
ALTER TABLE outbox ADD COLUMN claim_token TEXT NOT NULL DEFAULT '';
