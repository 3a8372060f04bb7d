-- A commit may carry the caller's idempotency key (Generation: job + chapter + attempt): a retried commit finds the
-- first one instead of committing twice.
ALTER TABLE commits ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX commits_idempotency_key ON commits (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
